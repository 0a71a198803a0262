using Graphport.Graphs;
using Graphport.Operators;
using Graphport.Shapes;

namespace Graphport.Tracing;

/// <summary>
/// Records the ops that run on fake tensors into a graph. Real tensors reaching an op (parameters, buffers,
/// captured constants) are replaced by placeholders; in-place ops are recorded as their functional variants,
/// and writes through views are replayed onto the base (functionalization).
/// </summary>
internal sealed partial class Tracer
{
    [ThreadStatic]
    private static Tracer? current;

    private readonly Dictionary<Tensor, Tensor> proxies = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, Node> symbolNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<SymbolAtom, SymbolSource> symbolSources = [];
    private readonly Dictionary<SymbolAtom, Node> unbackedSources = [];
    private readonly List<ModuleFrame> moduleStack = [];
    private readonly List<SymBoolExpr> deferredAsserts = [];
    private readonly HashSet<string> assertedStatements = new(StringComparer.Ordinal);
    private int liftedConstants;

    public Tracer(ShapeEnv shapeEnv, bool strict, Tracer? parent = null)
    {
        Parent = parent;
        ShapeEnv = shapeEnv;
        Strict = strict;
        Graph = new Graph();
        shapeEnv.LocationProvider = () => (SourceOverride ?? UserFrames.Current())?.ToString();
    }

    public static Tracer? Current => current;

    /// <summary>The enclosing tracer when this one traces a subgraph (a cond branch, a map body).</summary>
    public Tracer? Parent { get; }

    /// <summary>Tensors of enclosing graphs used inside this subgraph, each with the placeholder standing for it here.</summary>
    public List<(Tensor Outer, Tensor Inner)> LiftedFromParent { get; } = [];

    public Graph Graph { get; }

    public ShapeEnv ShapeEnv { get; }

    public bool Strict { get; }

    /// <summary>Lifted state in creation order: parameters, buffers and constants with their placeholders.</summary>
    public List<LiftedTensor> Lifted { get; } = [];

    /// <summary>User inputs in order, with their placeholders.</summary>
    public List<(string Name, Tensor Fake, Node Placeholder)> UserInputs { get; } = [];

    /// <summary>Module paths for submodule calls, so nodes can carry their module stack.</summary>
    public Dictionary<object, string> ModulePaths { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Makes this tracer the current one on this thread until the returned scope is disposed.</summary>
    public IDisposable Activate()
    {
        var previous = current;
        current = this;
        var tracing = ShapeEnv.Tracing();
        return new Scope(() =>
        {
            current = previous;
            tracing.Dispose();
        });
    }

    /// <summary>Suspends tracing (ops run eagerly) until the returned scope is disposed.</summary>
    public static IDisposable Suspend()
    {
        var previous = current;
        current = null;
        return new Scope(() => current = previous);
    }

    private sealed class Scope(Action onDispose) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            onDispose();
        }
    }

    public void PushModule(string path, string typeName) => moduleStack.Add(new ModuleFrame(path, typeName));

    public void PopModule() => moduleStack.RemoveAt(moduleStack.Count - 1);

    public Tensor MakeFake(TensorMeta meta, Node node)
    {
        var state = new FakeState(this, node);
        return new Tensor(meta, state);
    }

    /// <summary>A placeholder for a parameter, buffer or constant, with a fake proxy that ops will see instead of the real tensor.</summary>
    public Tensor Lift(Tensor real, LiftedKind kind, string target)
    {
        string prefix = kind switch { LiftedKind.Parameter => "p_", LiftedKind.Buffer => "b_", _ => "c_" };
        var meta = new TensorMeta(real.DType, real.Shape.AsArray(), real.strides.Select(s => new SymInt(s)).ToArray());
        var node = Graph.AddPlaceholder(prefix + target.Replace('.', '_'), meta);
        var proxy = MakeFake(meta, node);
        proxies[real] = proxy;
        Lifted.Add(new LiftedTensor(kind, target, real, proxy, node));
        return proxy;
    }

    public Tensor AddUserInput(string name, DType dtype, SymInt[] shape)
    {
        var meta = new TensorMeta(dtype, shape);
        var node = Graph.AddPlaceholder(name, meta);
        var fakeTensor = MakeFake(meta, node);
        UserInputs.Add((node.Name, fakeTensor, node));
        for (int d = 0; d < shape.Length; d++)
        {
            foreach (var symbol in shape[d].Expr.FreeSymbols())
            {
                if (symbolSources.ContainsKey(symbol)) continue;
                symbolSources[symbol] = new SymbolSource(node, d, shape[d].Expr);
            }
        }
        return fakeTensor;
    }

    /// <summary>The fake tensor ops see for <paramref name="t"/>: itself if fake, else the proxy of a real tensor (lifting it as a constant if new).</summary>
    public Tensor Proxy(Tensor t)
    {
        if (t.fake is { } f)
        {
            if (f.Tracer == this) return t;
            if (IsAncestor(f.Tracer)) return LiftFromParent(t);
            throw new InvalidOperationException("A tensor from another export's trace was used here. Tensors produced while tracing belong to that trace; pass real tensors instead.");
        }
        if (proxies.TryGetValue(t, out var proxy)) return proxy;
        // Inside a subgraph, module state and constants belong to the root graph: lift them from there.
        if (Parent is not null) return LiftFromParent(Parent.Proxy(t));
        string target = $"lifted_tensor_{liftedConstants++}";
        return Lift(t, LiftedKind.Constant, target);
    }

    private bool IsAncestor(Tracer other)
    {
        for (var p = Parent; p is not null; p = p.Parent)
            if (p == other) return true;
        return false;
    }

    /// <summary>A placeholder of this subgraph standing for a tensor of an enclosing graph (added to the op's operands).</summary>
    private Tensor LiftFromParent(Tensor outer)
    {
        // Nested subgraphs lift through each level: the parent lifts first if the tensor is from further out.
        var parentView = Parent!.Proxy(outer);
        foreach (var (o, inner) in LiftedFromParent)
            if (ReferenceEquals(o, parentView)) return inner;
        var lifted = AddInput(parentView.Fake.Node.Name, parentView.Meta);
        LiftedFromParent.Add((parentView, lifted));
        return lifted;
    }

    /// <summary>The node holding the tensor's current value, regenerating a view whose base was written since.</summary>
    public Node NodeOf(Tensor t)
    {
        var f = Proxy(t).Fake;
        if (f.ViewBase is { } baseTensor && f.BaseVersionSeen != baseTensor.Fake.Version)
        {
            var value = CurrentValue(baseTensor);
            foreach (var step in f.ViewChain)
                value = ReplayStep(step, value);
            f.Node = value.Fake.Node;
            f.BaseVersionSeen = baseTensor.Fake.Version;
        }
        return f.Node;
    }

    /// <summary>A fresh fake tensor holding <paramref name="t"/>'s current value, with no view relationship.</summary>
    public Tensor CurrentValue(Tensor t)
    {
        var proxy = Proxy(t);
        var node = NodeOf(proxy);
        return MakeFake(proxy.Meta, node);
    }

    /// <summary>When re-tracing a program, the node being replayed: new nodes inherit its source and module stack.</summary>
    public Node? ReplayedNode { get; set; }

    /// <summary>Ops to replace by their decompositions while recording (RunDecompositions).</summary>
    public DecompositionTable? Decompositions { get; init; }

    /// <summary>The table in effect: this tracer's, or the enclosing graph's (subgraphs decompose like their parent).</summary>
    private DecompositionTable? ActiveDecompositions => Decompositions ?? Parent?.ActiveDecompositions;

    private readonly HashSet<OpOverload> decomposing = [];

    /// <summary>The source that new nodes record instead of the C# caller (an imported model's node, say).</summary>
    public SourceFrame? SourceOverride { get; set; }

    public SourceFrame? CurrentSource() => ReplayedNode is { } n ? n.Source : SourceOverride ?? UserFrames.Current();

    public IReadOnlyList<ModuleFrame> CurrentModuleStack() => ReplayedNode is { } n ? n.ModuleStack : moduleStack.ToArray();

    public object? Record(OpOverload op, object?[] args)
    {
        if (op.Composite is not null) return op.Composite(args);
        // An op inside its own decomposition is recorded as is, so a decomposition may fall back to its op.
        if (ActiveDecompositions is { } table && table.TryGet(op, out var decomposition) && decomposing.Add(op))
        {
            try
            {
                return Decompose(op, args, decomposition);
            }
            finally
            {
                decomposing.Remove(op);
            }
        }
        if (op.Schema.IsMutable) return RecordMutation(op, args);
        return RecordCall(op, args);
    }

    /// <summary>Runs a decomposition and checks that it produced what the op would (same shapes and dtypes).</summary>
    private object? Decompose(OpOverload op, object?[] args, KernelFunction decomposition)
    {
        object? expected = null;
        if (!op.Schema.IsMutable && op.Meta is { } meta)
        {
            // Only for comparing: data-dependent sizes it makes (a slice's fresh u1) are forgotten, with their checks.
            var mark = ShapeEnv.Mark();
            int pending = deferredAsserts.Count;
            expected = meta(ProxyArgs(args));
            var fresh = ShapeEnv.Symbols.Skip(mark.Symbols).Select(i => i.Atom).ToHashSet();
            if (fresh.Count > 0)
            {
                deferredAsserts.RemoveRange(pending, deferredAsserts.Count - pending);
                ShapeEnv.Forget(mark);
            }
        }
        var result = decomposition(args);
        if (expected is null) return result;
        var actual = result switch
        {
            Tensor t => (object)Proxy(t).Meta,
            Tensor?[] ts => ts.Select(t => t is null ? null : Proxy(t).Meta).ToArray(),
            _ => result,
        };
        if (!SameMeta(expected, actual))
            throw new ExportException(
                $"The decomposition of {op.Name} returned {DescribeMeta(actual)} but the op produces {DescribeMeta(expected)}. A decomposition must compute the same shapes and dtypes as its op; fix or remove the table entry for {op.Name}.");
        return result;
    }

    private static bool SameMeta(object? a, object? b) => (a, b) switch
    {
        // Data-dependent sizes are fresh symbols on each side; only their rank and dtype can be compared.
        (TensorMeta x, TensorMeta y) when HasUnbacked(x) || HasUnbacked(y) => x.DType == y.DType && x.Rank == y.Rank,
        (TensorMeta x, TensorMeta y) => x.DType == y.DType && x.Shape.SequenceEqual(y.Shape),
        (TensorMeta[] x, TensorMeta[] y) => x.Length == y.Length && x.Zip(y).All(p => SameMeta(p.First, p.Second)),
        _ => Equals(a, b),
    };

    private static bool HasUnbacked(TensorMeta m) => m.Shape.Any(s => s.Expr.FreeSymbols().Any(a => a.Unbacked));

    private static string DescribeMeta(object? m) => m switch
    {
        TensorMeta t => t.Describe(),
        TensorMeta?[] ts => "(" + string.Join(", ", ts.Select(t => t?.Describe() ?? "None")) + ")",
        null => "nothing",
        _ => m.ToString() ?? "",
    };

    /// <summary>A placeholder with a given name and metadata (re-tracing keeps the program's input names).</summary>
    public Tensor AddInput(string name, TensorMeta meta)
    {
        var node = Graph.AddPlaceholder(name, meta);
        var fakeTensor = MakeFake(meta, node);
        for (int d = 0; d < meta.Shape.Length; d++)
            foreach (var symbol in meta.Shape[d].Expr.FreeSymbols())
                symbolSources.TryAdd(symbol, new SymbolSource(node, d, meta.Shape[d].Expr));
        return fakeTensor;
    }

    private object? RecordCall(OpOverload op, object?[] args)
    {
        // An assertion that re-tracing settled (torch's u2 >= 0 on a storage offset, which traced metadata has as 0) checks nothing.
        if (op == Aten.AssertScalar && args[0] is true or SymBool { AsConstant: true }) return Array.Empty<Tensor>();
        // Replaying a recorded assertion (re-tracing) re-establishes what it promised about data-dependent values.
        if (op == Aten.AssertScalar && args[0] is SymBool { IsSymbolic: true } promised && promised.Expr.FreeSymbols().Any(s => s.Unbacked))
        {
            // The graph asserts this already (a meta function's check, emitted when its size was bound): once is enough.
            if (!assertedStatements.Add(StatementKey(promised.Expr)))
            {
                ShapeEnv.Assume(promised.Expr);
                return Array.Empty<Tensor>();
            }
            // Recorded first, on the values as the graph computes them, then taken as true: solving it may make one
            // symbol the others' function (sizes read out of the data that add up to a length), after which the
            // statement would read as trivially true and check nothing.
            var recorded = RecordNode(op, args);
            ShapeEnv.Assume(promised.Expr);
            return recorded;
        }
        return RecordNode(op, args);
    }

    private object? RecordNode(OpOverload op, object?[] args)
    {
        var proxied = ProxyArgs(args);
        var meta = op.Meta?.Invoke(proxied)
            ?? throw new ExportException($"Operator {op.Name} has no meta function, so export cannot compute its output shapes. Register one with Library.ImplAbstract(\"{op.OpName}\", ...) (torch's register_fake).");
        var (nodeArgs, nodeKwargs) = NodeArguments(op, proxied.Select(ToNodeArg).ToArray());
        var node = Graph.AddCall(op, nodeArgs, nodeKwargs, value: meta);
        node.Source = CurrentSource();
        node.ModuleStack = CurrentModuleStack();
        var outputs = WrapOutputs(op, node, meta, proxied);
        if (deferredAsserts.Count > 0) EmitDeferredAsserts(node);
        return outputs;
    }

    /// <summary>
    /// A check a meta function made on a data-dependent size it created (slice's u1 &gt;= 0, u1 &lt;= 3): recorded as a
    /// run-time assertion as soon as every data-dependent symbol in it can be read from a node (torch's deferred
    /// runtime asserts, inserted after the node that binds the symbol).
    /// </summary>
    public void DeferRuntimeAssert(SymBoolExpr statement) => deferredAsserts.Add(statement);

    private void EmitDeferredAsserts(Node producer)
    {
        var ready = deferredAsserts.Where(e => e.FreeSymbols().All(a => !a.Unbacked || symbolSources.ContainsKey(a) || unbackedSources.ContainsKey(a))).ToList();
        foreach (var statement in ready)
        {
            deferredAsserts.Remove(statement);
            var e = statement.Substitute(ShapeEnv.ReplacementOf);
            if (e is SymBoolConst) continue;
            AddRuntimeAssert(e, null, producer.Source);
        }
    }

    /// <summary>
    /// An _assert_scalar node checking <paramref name="statement"/> when the program runs, with torch's message
    /// ("Runtime assertion failed for expression u1 &gt;= 0 on node 'ge'") unless one is given.
    /// </summary>
    public Node AddRuntimeAssert(SymBoolExpr statement, string? message, SourceFrame? source)
    {
        assertedStatements.Add(StatementKey(statement));
        int first = Graph.Nodes.Count;
        var condition = SymBoolNode(statement);
        var node = Graph.AddCall(Aten.AssertScalar, [condition, message ?? $"Runtime assertion failed for expression {statement} on node '{condition.Name}'"]);
        node.Value = Array.Empty<TensorMeta>();
        // The size reads and comparisons the assertion needs come from the same line of user code.
        foreach (var added in Graph.Nodes.Skip(first)) added.Source ??= source;
        return node;
    }

    private string StatementKey(SymBoolExpr statement) => statement.Substitute(ShapeEnv.ReplacementOf).ToString();

    private object? WrapOutputs(OpOverload op, Node node, object meta, object?[] args)
    {
        switch (meta)
        {
            case TensorMeta tm:
                var result = MakeFake(tm, node);
                RegisterDataDependentSizes(tm, node);
                if (op.Schema.IsView && args.Length > 0 && args[0] is Tensor viewed) MarkView(result, viewed, op, args);
                return result;
            case TensorMeta?[] metas:
                var outs = new Tensor?[metas.Length];
                for (int i = 0; i < metas.Length; i++)
                {
                    // An output the op does not produce (convolution_backward's masked-off gradients) is None: nothing to read.
                    if (metas[i] is not { } itemMeta) continue;
                    var item = Graph.AddCall(BuiltinTarget.GetItem, [node, (long)i], value: itemMeta);
                    item.Source = node.Source;
                    item.ModuleStack = node.ModuleStack;
                    var output = outs[i] = MakeFake(itemMeta, item);
                    RegisterDataDependentSizes(itemMeta, item);
                    if (op.Schema.IsView && args.Length > 0 && args[0] is Tensor viewedMany) MarkView(output, viewedMany, op, args, i);
                }
                return outs;
            case SymInt s:
                // A data-dependent result (u0 from Item<SymInt>()): later uses of the symbol read it from this node.
                if (s.Expr.IsSymbol(out var atom) && atom.Unbacked) unbackedSources.TryAdd(atom, node);
                return meta;
            default:
                return meta;
        }
    }

    /// <summary>
    /// An output size that is a fresh data-dependent symbol (nonzero's row count) is read from that output
    /// (sym_size) wherever later ops need it as an argument.
    /// </summary>
    private void RegisterDataDependentSizes(TensorMeta meta, Node node)
    {
        for (int d = 0; d < meta.Shape.Length; d++)
            if (meta.Shape[d].Expr.IsSymbol(out var atom) && atom.Unbacked && !unbackedSources.ContainsKey(atom))
                symbolSources.TryAdd(atom, new SymbolSource(node, d, meta.Shape[d].Expr));
    }

    /// <summary>Applies one recorded view step to a new value of the tensor it viewed.</summary>
    private Tensor ReplayStep(ViewStep step, Tensor value)
    {
        var result = RecordCall(step.Op, [value, .. step.Args])!;
        return step.OutputIndex >= 0 ? ((Tensor[])result)[step.OutputIndex] : (Tensor)result;
    }

    private void MarkView(Tensor result, Tensor viewed, OpOverload op, object?[] args, int outputIndex = -1)
    {
        var source = Proxy(viewed).Fake;
        var root = source.ViewBase ?? Proxy(viewed);
        var step = new ViewStep(op, args[1..], outputIndex);
        var f = result.Fake;
        f.ViewBase = root;
        f.ViewChain = [.. source.ViewChain, step];
        f.BaseVersionSeen = root.Fake.Version;
    }

    /// <summary>In-place op: record the functional variant, then make the written tensor (and its base) hold the result.</summary>
    private object? RecordMutation(OpOverload op, object?[] args)
    {
        var functional = FunctionalVariants.Of(op);
        int written = FunctionalVariants.WrittenArgument(op);
        var self = (Tensor)args[written]!;
        // Record, not RecordCall: a composite functional variant (dropout for dropout_) expands, one with a
        // decomposition in the active table decomposes.
        var value = (Tensor)Record(functional, args)!;
        if (!DTypeInfo.CanCast(value.DType, self.DType))
            throw new ArgumentException($"result type {DTypeNames.Capitalized(value.DType)} can't be cast to the desired output type {DTypeNames.Capitalized(self.DType)}");
        if (value.DType != self.DType)
            value = (Tensor)RecordCall(Aten.ToCopy, Aten.ToCopy.BindArgs([value], new Dictionary<string, object?> { ["dtype"] = self.DType }))!;
        Assign(Proxy(self), value);
        return self;
    }

    /// <summary>Makes <paramref name="target"/> hold <paramref name="value"/>; a view target writes through to its base.</summary>
    public void Assign(Tensor target, Tensor value)
    {
        var f = target.Fake;
        if (f.ViewBase is { } root)
        {
            // Values along the chain from the base's current value down to the view's parent.
            var values = new List<Tensor> { CurrentValue(root) };
            for (int i = 0; i < f.ViewChain.Length - 1; i++)
                values.Add(ReplayStep(f.ViewChain[i], values[^1]));
            var updated = value;
            for (int i = f.ViewChain.Length - 1; i >= 0; i--)
                updated = ViewInverse.Scatter(this, f.ViewChain[i], values[i], updated);
            root.Fake.Node = updated.Fake.Node;
            root.Fake.Version++;
            f.Node = value.Fake.Node;
            f.BaseVersionSeen = root.Fake.Version;
        }
        else
        {
            f.Node = value.Fake.Node;
            f.Version++;
        }
    }

    internal object? CallForInverse(OpOverload op, object?[] args) => RecordCall(op, args);

    /// <summary>
    /// Splits bound arguments as torch records them: positional arguments without trailing defaults, and
    /// keyword-only arguments that differ from their defaults as kwargs (add.Tensor(x, y), not (x, y, 1)).
    /// </summary>
    internal static (object?[] Args, IReadOnlyDictionary<string, object?>? Kwargs) NodeArguments(OpOverload op, object?[] bound)
    {
        var schema = op.Schema.Arguments;
        int positional = 0;
        while (positional < schema.Count && !schema[positional].KwargOnly) positional++;
        int end = positional;
        while (end > 0 && schema[end - 1].HasDefault && IsDefault(bound[end - 1], schema[end - 1].Default)) end--;
        Dictionary<string, object?>? kwargs = null;
        for (int i = positional; i < schema.Count; i++)
        {
            if (schema[i].HasDefault && IsDefault(bound[i], schema[i].Default)) continue;
            (kwargs ??= [])[schema[i].Name] = bound[i];
        }
        return (bound[..end], kwargs);
    }

    private static bool IsDefault(object? value, object? defaultValue) => (value, defaultValue) switch
    {
        (null, null) => true,
        (long a, long b) => a == b,
        (long a, double b) => a == b,
        (double a, double b) => a.Equals(b),
        (double a, long b) => a == b,
        (bool a, bool b) => a == b,
        (string a, string b) => a == b,
        (object?[] a, long[] b) => a.Length == b.Length && a.Zip(b).All(p => p.First is long x && x == p.Second),
        (object?[] a, long b) => a.All(x => x is long v && v == b),
        _ => false,
    };

    private object?[] ProxyArgs(object?[] args)
    {
        var result = new object?[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            result[i] = args[i] switch
            {
                Tensor t => Proxy(t),
                Tensor?[] list => list.Select(t => t is null ? null : Proxy(t)).ToArray(),
                _ => args[i],
            };
        }
        return result;
    }

    /// <summary>Converts a bound argument to what a node stores: nodes for tensors and symbolic ints, constants otherwise.</summary>
    private object? ToNodeArg(object? arg) => arg switch
    {
        Tensor t => NodeOf(t),
        Tensor?[] list => list.Select(t => t is null ? null : (object)NodeOf(t)).ToArray(),
        SymInt s => s.IsSymbolic ? SymbolArg(s.Expr) : s.AsConstant!.Value,
        SymBool b => b.IsSymbolic ? SymBoolNode(b.Expr) : b.AsConstant!.Value,
        SymInt[] list => list.Select(s => ToNodeArg(s)).ToArray(),
        object?[] list => list.Select(ToNodeArg).ToArray(),
        _ => arg,
    };

    private sealed record SymbolSource(Node Placeholder, int Dim, SymExpr Expression);

    /// <summary>A node computing a symbolic size: sym_size of an input for a symbol, arithmetic nodes for expressions.</summary>
    public Node SymbolNode(SymExpr expression)
    {
        var e = ShapeEnv.Simplify(expression);
        if (e.IsConstant)
            throw new InvalidOperationException($"The size {expression} is the constant {e.ConstantValue} after specialization; pass it as a number (SymbolArg does).");
        if (symbolNodes.TryGetValue(e.Key, out var cached)) return cached;
        Node node;
        if (e.IsSymbol(out var symbol))
        {
            node = SymbolDefinition(symbol);
        }
        else
        {
            object? total = null;
            foreach (var term in e.Terms.Where(t => t.Monomial.Length > 0))
            {
                object? product = null;
                foreach (var atom in term.Monomial)
                {
                    object factor = AtomNode(atom);
                    product = product is null ? factor : Arith(BuiltinTarget.Mul, product, factor);
                }
                if (term.Coefficient != 1) product = Arith(BuiltinTarget.Mul, product!, term.Coefficient);
                total = total is null ? product : Arith(BuiltinTarget.Add, total, product!);
            }
            long constant = e.ConstantTerm;
            if (constant > 0) total = Arith(BuiltinTarget.Add, total!, constant);
            else if (constant < 0) total = Arith(BuiltinTarget.Sub, total!, -constant);
            node = (Node)total!;
        }
        node.Value = new SymInt(e, ShapeEnv);
        symbolNodes[e.Key] = node;
        return node;
    }

    /// <summary>A node computing a symbolic bool (a cond predicate such as x.Shape[0] > 4).</summary>
    public Node SymBoolNode(SymBoolExpr expression)
    {
        Node node;
        switch (expression.Substitute(ShapeEnv.ReplacementOf))
        {
            case SymRelation r:
                var target = r.Kind switch
                {
                    Relation.Eq => BuiltinTarget.Eq,
                    Relation.Ne => BuiltinTarget.Ne,
                    Relation.Lt => BuiltinTarget.Lt,
                    Relation.Le => BuiltinTarget.Le,
                    Relation.Gt => BuiltinTarget.Gt,
                    _ => BuiltinTarget.Ge,
                };
                node = Arith(target, ExprArg(r.Lhs), ExprArg(r.Rhs));
                break;
            case SymLogical l:
                node = Arith(l.IsAnd ? BuiltinTarget.And : BuiltinTarget.Or, SymBoolNode(l.A), SymBoolNode(l.B));
                break;
            default:
                throw new InvalidOperationException($"Cannot compute {expression} in a graph.");
        }
        node.Value = new SymBool(expression, ShapeEnv);
        return node;
    }

    private Node SymbolDefinition(SymbolAtom symbol)
    {
        if (unbackedSources.TryGetValue(symbol, out var producer)) return producer;
        if (!symbolSources.TryGetValue(symbol, out var source))
            throw new InvalidOperationException($"Symbol {symbol.Name} has no input it can be read from; data-dependent sizes cannot be used as op arguments yet.");
        var size = Graph.AddCall(Aten.SymSize, [source.Placeholder, (long)source.Dim], nameHint: "sym_size_int");
        size.Value = new SymInt(source.Expression, ShapeEnv);
        symbolNodes[ShapeEnv.Simplify(source.Expression).Key] = size;
        if (source.Expression.IsSymbol(out _)) return size;
        // The input's size is A*symbol + B (a derived dim whose root has no input of its own): solve for the symbol.
        var coefficients = source.Expression.LinearCoefficients()!;
        long a = coefficients[symbol];
        long b = source.Expression.ConstantTerm;
        object value = size;
        if (b != 0) value = Arith(b > 0 ? BuiltinTarget.Sub : BuiltinTarget.Add, value, Math.Abs(b));
        if (a != 1) value = Arith(BuiltinTarget.FloorDiv, value, a);
        return (Node)value;
    }

    private object AtomNode(SymAtom atom) => atom switch
    {
        SymbolAtom s => SymbolArg(SymExpr.Of(s)),
        FloorDivAtom f => Arith(BuiltinTarget.FloorDiv, ExprArg(f.Numerator), ExprArg(f.Denominator)),
        ModAtom m => Arith(BuiltinTarget.Mod, ExprArg(m.Numerator), ExprArg(m.Denominator)),
        MinMaxAtom mm => Arith(mm.IsMax ? BuiltinTarget.SymMax : BuiltinTarget.SymMin, ExprArg(mm.A), ExprArg(mm.B)),
        _ => throw new NotSupportedException($"Cannot compute {atom} in a graph."),
    };

    private object ExprArg(SymExpr e) => SymbolArg(e);

    /// <summary>
    /// A size as a node argument: the node computing it, or a plain number once the shape env has fixed it (a size
    /// taken before a guard specialized its symbol is a constant by the time it is used).
    /// </summary>
    public object SymbolArg(SymExpr expression)
    {
        var e = ShapeEnv.Simplify(expression);
        return e.IsConstant ? e.ConstantValue : SymbolNode(e);
    }

    private Node Arith(BuiltinTarget target, object a, object b)
    {
        var node = Graph.AddCall(target, [a, b]);
        node.Value = null;
        return node;
    }
}

internal enum LiftedKind { Parameter, Buffer, Constant }

/// <summary>A tensor lifted out of the module into a graph input: its kind, state-dict name, real value and proxy.</summary>
internal sealed record LiftedTensor(LiftedKind Kind, string Target, Tensor Real, Tensor Proxy, Node Placeholder);
