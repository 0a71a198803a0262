using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

/// <summary>
/// Groups a Core ATen program's nodes into kernels for one shape bucket: pointwise chains (with views, casts,
/// gathers, concatenation, padding) fuse into one generated kernel; reductions, pooling, direct convolutions and
/// row normalizations become generated kernels whose prologue and epilogue absorb neighbouring pointwise ops;
/// matrix products (and im2col convolutions) become cuBLASLt calls with bias and activation fused; anything else
/// runs on the host. The result is a <see cref="FusedProgram"/>: steps in order, buffers and a memory plan.
/// This is where a node becomes a kernel; <see cref="CudaRenderer"/> is where a kernel becomes CUDA C.
/// </summary>
public sealed partial class FusionPlanner
{
    private readonly ExportedProgram program;
    private readonly ShapeBinding shapes;
    private readonly PlannerOptions options;
    private readonly List<KernelStep> steps = [];
    private readonly List<BufferRef> buffers = [];
    private readonly List<(BufferRef Buffer, Tensor Value)> weights = [];
    // Each parameter's, buffer's and constant's device buffer by its signature target (what mutation outputs name).
    private readonly Dictionary<string, BufferRef> weightByTarget = new(StringComparer.Ordinal);
    private readonly Dictionary<Node, object?> values = [];
    private readonly Dictionary<Node, int> effectiveUsers = [];
    private readonly Dictionary<Node, MatmulActivation> matmulActivations = [];
    private readonly Dictionary<Node, Node> matmulActivationNodes = [];
    private readonly HashSet<Node> absorbed = [];

    // A softmax planned as a safe one (NormKind.SafeSoftmax), by the where node that applied its guard; and the
    // guard's nodes, which no step computes.
    private readonly Dictionary<Node, Node> safeSoftmaxes = [];
    private readonly HashSet<Node> safeSoftmaxGuards = [];
    // Batch norms folded into the convolution before them: each one's result is the convolution's.
    private readonly Dictionary<Node, object?> foldedNorms = [];
    private readonly List<string> hostOps = [];
    // RMS norms planned as one row kernel (RmsNormPattern): the value by the node that holds it, and the nodes between.
    private readonly Dictionary<Node, PlannedValue> rmsNorms = [];
    private readonly HashSet<Node> rmsNormParts = [];
    // Indices read from tensors, checked on the device (IndexSite), numbered in the order they were first planned.
    private readonly List<FaultSite> faultSites = [];
    private readonly Dictionary<FaultSite, int> faultSiteNumbers = [];

    private FusionPlanner(ExportedProgram program, ShapeBinding shapes, PlannerOptions options)
    {
        this.program = program;
        this.shapes = shapes;
        this.options = options;
    }

    /// <summary>Plans <paramref name="program"/> (Core ATen; decompose first) at the sizes of <paramref name="shapes"/>.</summary>
    public static FusedProgram Plan(ExportedProgram program, ShapeBinding shapes, PlannerOptions? options = null)
    {
        var planner = new FusionPlanner(program, shapes, options ?? PlannerOptions.Default);
        return planner.Run();
    }

    private FusedProgram Run()
    {
        CountUsers();
        FindMatmulEpilogues();
        FindWrittenState();
        var specs = program.GraphSignature.InputSpecs;
        var placeholders = program.Graph.Placeholders.ToList();
        var userInputs = new List<BufferRef>();
        for (int i = 0; i < placeholders.Count; i++)
        {
            var node = placeholders[i];
            var spec = specs[i];
            if (node.Value is not TensorMeta meta)
            {
                values[node] = node.Value is SymInt s ? shapes.Evaluate(s) : node.Value;
                continue;
            }
            if (meta.DType.IsComplex()) throw Unsupported(node, ComplexRefusal(meta.DType));
            var shape = shapes.Evaluate(meta.Shape);
            var value = new PlannedValue(node.Name, meta.DType, shape);
            if (spec.Kind == InputKind.UserInput)
            {
                var buffer = NewBuffer(node.Name, meta.DType, value.Numel, BufferKind.Input);
                userInputs.Add(buffer);
                value.Stored = StridedView.Contiguous(buffer, shape);
            }
            else
            {
                var tensor = spec.Kind == InputKind.ConstantTensor ? program.Constants[spec.Target!] : program.StateDict[spec.Target!];
                var buffer = NewBuffer(spec.Target!, meta.DType, value.Numel, BufferKind.Weight);
                weights.Add((buffer, tensor));
                weightByTarget[spec.Target!] = buffer;
                value.Stored = StridedView.Contiguous(buffer, shape);
            }
            values[node] = value;
        }

        foreach (var node in program.Graph.Nodes)
        {
            if (node.Kind != NodeKind.CallFunction) continue;
            if (node.Value is TensorMeta { DType: var dtype } && dtype.IsComplex() || node.Value is object?[] results && results.OfType<TensorMeta>().Any(m => m.DType.IsComplex()))
                throw Unsupported(node, ComplexRefusal(DType.Complex64));
            if (DataDependentSize(node) is { } symbol)
                throw Unsupported(node, $"its size {symbol} is decided by the data (how many elements a mask picks, nonzero finds or an item read gives), and a CUDA plan sizes its buffers before the call");
            int before = steps.Count;
            values[node] = Lower(node);
            for (int i = before; i < steps.Count; i++) steps[i] = steps[i] with { Origin = steps[i].Origin ?? node.Name };
        }

        var outputs = PlanOutputs();
        var outputBuffers = outputs.Where(o => o.View is not null).Select(o => o.View!.Buffer).ToHashSet();
        var fused = options.FuseEpilogues ? EpilogueFusion.Apply(steps, outputBuffers) : steps.ToList();
        if (options.FuseSiblings) fused = SiblingFusion.Apply(fused);
        var named = KernelNames.Assign(fused);
        var live = named.SelectMany(s => s.Reads().Concat(s.Writes())).Concat(userInputs).Concat(outputs.Where(o => o.View is not null).Select(o => o.View!.Buffer)).ToHashSet();
        var usedBuffers = buffers.Where(live.Contains).ToList();
        var memory = MemoryPlanner.Plan(named, usedBuffers, userInputs, outputs.Where(o => o.View is not null).Select(o => o.View!.Buffer).ToList());
        return new FusedProgram(program, shapes, named, usedBuffers, weights.Where(w => live.Contains(w.Buffer)).ToList(), userInputs, outputs, hostOps.Distinct().ToList(), memory)
        {
            FaultSites = faultSites,
        };
    }

    private object? Lower(Node node)
    {
        switch (node.Target)
        {
            case BuiltinTarget builtin when builtin == BuiltinTarget.GetItem:
                return ResolveArg(node.Args[0]) is object?[] items ? items[checked((int)Convert.ToInt64(ResolveArg(node.Args[1])))] : throw Unsupported(node, "getitem of a non-tuple");
            case BuiltinTarget builtin:
                return builtin.Run(node.Args.Select(ResolveArg).ToArray());
            case HigherOrderTarget control when control == HigherOrderTarget.Cond || control == HigherOrderTarget.Map:
                return LowerOnHost(node, HostCall.Of(control));
            case OpOverload op:
                if (foldedNorms.TryGetValue(node, out var folded)) return folded;
                if (rmsNorms.TryGetValue(node, out var rms)) return rms;
                if (projectionSlices.TryGetValue(node, out var slice)) return slice;
                if (rmsNormParts.Contains(node) || (op.Name == "aten::mean.dim" && TryLowerRmsNorm(node))) return null;
                if (safeSoftmaxes.TryGetValue(node, out var softmax)) return values[softmax];
                if (safeSoftmaxGuards.Contains(node)) return null;
                if (absorbed.Contains(node)) return ResolveArg(node.Args[0]);
                if (options.ForceHost.Contains(op.Name)) return LowerOnHost(node, op);
                return TryLower(node, op) ?? LowerOnHost(node, op);
            default:
                throw Unsupported(node, $"target {node.Target}");
        }
    }

    /// <summary>The device lowering of an op, or null when there is none (the node then runs on the host).</summary>
    private object? TryLower(Node node, OpOverload op)
    {
        var name = op.Name;
        if (name is "aten::sym_size.int")
            return ((PlannedValue)ResolveArg(node.Args[0])!).Shape[NormalizeDim(Convert.ToInt64(ResolveArg(node.Args[1])), ((PlannedValue)ResolveArg(node.Args[0])!).Shape.Length)];
        if (name is "aten::sym_numel")
            return ((PlannedValue)ResolveArg(node.Args[0])!).Numel;
        if (name is "aten::_assert_scalar") return CheckAssertion(node);
        if (name is "aten::_assert_tensor_metadata") return CheckTensorMetadata(node, op);
        if (TryFoldWeights(node, op) is { } weightOnly) return weightOnly;
        if (node.Value is not (TensorMeta or TensorMeta[])) return null;
        if (name is "aten::copy" && CopyOfStoredValue(node) is { } copied) return copied;
        var args = Bind(node, op);
        if (name is "aten::index_put") return LowerIndexPut(node, args);
        if (name is "aten::scatter_add" or "aten::scatter.src" or "aten::scatter.value") return LowerScatter(node, name, args);
        if (name is "aten::empty.memory_format") return LowerEmpty(node);
        if (name is "aten::sort" or "aten::topk") return LowerSortRows(node, args, topk: name == "aten::topk");
        if (name is "aten::split_with_sizes") return LowerSplitWithSizes(node, args);
        if (name is "aten::max.dim" or "aten::min.dim") return LowerExtremumWithIndex(node, args, max: name == "aten::max.dim");
        return TryLowerView(node, op, args)
            ?? TryLowerPointwise(node, op, args)
            ?? TryLowerReduction(node, op, args)
            ?? TryLowerNorm(node, op, args)
            ?? TryLowerPooling(node, op, args)
            ?? TryLowerResize(node, op, args)
            ?? TryLowerConvolution(node, op, args)
            ?? TryLowerMatmul(node, op, args)
            ?? TryLowerGroupedMatmul(node, op, args);
    }

    // torch.empty: a buffer of the shape, left as it is (its users write every element before reading it, or read what
    // torch's would hold: whatever was there). No kernel.
    private PlannedValue? LowerEmpty(Node node)
    {
        if (node.Value is not TensorMeta meta) return null;
        var shape = shapes.Evaluate(meta.Shape);
        var buffer = NewBuffer(node.Name, meta.DType, shape.Aggregate(1L, (a, b) => a * b), BufferKind.Intermediate);
        var value = new PlannedValue(node.Name, meta.DType, shape) { Stored = StridedView.Contiguous(buffer, shape) };
        value.Provenance.Add("aten::empty.memory_format");
        return value;
    }

    // A run-time assertion on sizes (torch's _assert_scalar) is decided when the plan binds concrete sizes: a bucket
    // whose sizes break it cannot be planned, so the program's own message is raised here instead of a wrong result.
    private object CheckAssertion(Node node)
    {
        var condition = ResolveArg(node.Args[0]);
        bool? holds = condition switch
        {
            bool b => b,
            long l => l != 0,
            int i => i != 0,
            _ => null,
        };
        if (holds is null) throw Unsupported(node, $"aten::_assert_scalar on {condition?.GetType().Name ?? "null"}, which the plan cannot evaluate");
        if (holds == false)
            throw new ArgumentException($"The program's run-time assertion {node.Name} fails for {shapes}: {ResolveArg(node.Args.ElementAtOrDefault(1)) ?? "(no message)"}.");
        return true;
    }

    // torch's check that a value has the dtype and sizes the trace saw (its training IR keeps one before each to()):
    // every size and dtype is known when the plan binds its shapes, so it is decided here and costs no step.
    private object CheckTensorMetadata(Node node, OpOverload op)
    {
        var args = Bind(node, op);
        if (args.GetValueOrDefault("a") is not PlannedValue value) return true;
        if (args.GetValueOrDefault("dtype") is DType dtype && dtype != value.DType)
            throw new ArgumentException($"The program's check {node.Name} fails: {value.Name} is {value.DType.ShortName()}, the program expects {dtype.ShortName()}.");
        if (args.GetValueOrDefault("size") is object?[] sizes && sizes.All(s => s is long)
            && !sizes.Select(s => (long)s!).SequenceEqual(value.Shape))
            throw new ArgumentException($"The program's check {node.Name} fails for {shapes}: {value.Name} has sizes [{string.Join(", ", value.Shape)}], the program expects [{string.Join(", ", sizes)}].");
        return true;
    }

    // Arguments by schema name: positional, then keyword, then the schema's defaults; nodes resolved to values.
    // With skip, that argument is left unresolved (null): a node not planned yet, when looking ahead.
    private Dictionary<string, object?> Bind(Node node, OpOverload op, string? skip = null)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var schema = op.Schema.Arguments;
        for (int i = 0; i < schema.Count; i++)
        {
            var a = schema[i];
            if (a.Name == skip)
            {
                result[a.Name] = null;
                continue;
            }
            if (i < node.Args.Length && !a.KwargOnly) result[a.Name] = ResolveArg(node.Args[i]);
            else if (node.Kwargs.TryGetValue(a.Name, out var kw)) result[a.Name] = ResolveArg(kw);
            else result[a.Name] = a.HasDefault ? a.Default : null;
        }
        return result;
    }

    private object? ResolveArg(object? arg) => arg switch
    {
        Node n => values.TryGetValue(n, out var v) ? v : throw new InvalidOperationException($"Node {n.Name} is used before it is planned."),
        SymInt s => shapes.Evaluate(s),
        object?[] list => list.Select(ResolveArg).ToArray(),
        _ => arg,
    };

    private BufferRef NewBuffer(string name, DType dtype, long elements, BufferKind kind)
    {
        var buffer = new BufferRef(buffers.Count, name, dtype, elements, kind);
        buffers.Add(buffer);
        return buffer;
    }

    /// <summary>Stores a value that is only a body so far: one pointwise kernel computes it into a new buffer.</summary>
    private StridedView Materialize(PlannedValue value)
    {
        if (value.Stored is { } stored) return stored;
        if (value.ViewSource is var (source, viewOfStored) && !source.IsStored && SharedThroughViews(source))
        {
            if (viewOfStored(Materialize(source)) is { } ofSource)
            {
                value.Stored = ofSource;
                value.Body = null;
                return ofSource;
            }
        }
        var buffer = NewBuffer(value.Name, value.DType, value.Numel, BufferKind.Intermediate);
        var space = new IterationSpace("i", "x", value.Shape);
        var coordinates = space.Coordinates;
        var expr = Exprs.Cast(value.Body!(coordinates), ValueKinds.Of(value.DType));
        var view = StridedView.Contiguous(buffer, value.Shape);
        steps.Add(new PointwiseKernel(Hint(value), Comment(value), space, [Tighten(space, new Store(buffer, view.Index(coordinates), expr))]));
        value.Stored = view;
        value.Body = null;
        return view;
    }

    // Whether a value (or the value a chain of views starts from) has more than one consumer.
    private static bool SharedThroughViews(PlannedValue value) =>
        value.Users > 1 || (value.ViewSource is var (source, _) && !source.IsStored && SharedThroughViews(source));

    /// <summary>A stored copy whose buffer is contiguous and its own (what outputs and some library calls need).</summary>
    private StridedView MaterializeContiguous(PlannedValue value)
    {
        if (value.Stored is { IsContiguous: true, Buffer.Kind: BufferKind.Intermediate } own) return own;
        if (value.Stored is { } view)
        {
            var copy = new PlannedValue(value.Name, value.DType, value.Shape) { Body = c => new LoadExpr(view.Buffer, view.Index(c)) };
            copy.Provenance.Add("copy");
            return Materialize(copy);
        }
        return Materialize(value);
    }

    /// <summary>Makes a fresh value whose body is the given function of its coordinates.</summary>
    private PlannedValue Inline(Node node, DType dtype, long[] shape, Func<IndexExpr[], Expr> body, string opName, params PlannedValue?[] inputs) =>
        Inline(node, effectiveUsers.GetValueOrDefault(node), dtype, shape, body, opName, inputs);

    private PlannedValue Inline(Node node, int users, DType dtype, long[] shape, Func<IndexExpr[], Expr> body, string opName, params PlannedValue?[] inputs)
    {
        var value = new PlannedValue(node.Name, dtype, shape) { Body = body, Users = users };
        foreach (var input in inputs)
            if (input is { IsStored: false }) value.Provenance.AddRange(input.Provenance);
        value.Provenance.Add(opName);
        // Recomputing a value for every consumer is cheap only when it is small; a shared big one is stored.
        if (users > 1 && value.Numel > options.SmallInlineNumel) Materialize(value);
        // So is one whose index math has grown past the budget through the views and joins before it (a ShuffleNet's
        // concatenations of shuffled halves, sixteen deep).
        else if (ReadIndexSize(value) > options.MaxViewIndexSize) Materialize(value);
        return value;
    }

    private static Store Tighten(IterationSpace space, Store store) =>
        store with { Index = space.Tighten(store.Index), Value = ExprWalker.Rewrite(store.Value, _ => null, l => new LoadExpr(l.Buffer, space.Tighten(l.Index))) };

    private static string Hint(PlannedValue value) => string.Join("_", value.Provenance.Distinct().TakeLast(3).Select(ShortOpName));

    private static string Comment(PlannedValue value) =>
        $"{value.Name} = {string.Join(" . ", value.Provenance.Distinct().Reverse())}  {value.Describe()}";

    internal static string ShortOpName(string opName)
    {
        var name = opName.StartsWith("aten::", StringComparison.Ordinal) ? opName["aten::".Length..] : opName;
        var dot = name.IndexOf('.');
        name = dot >= 0 ? name[..dot] : name;
        return name.TrimStart('_').Replace("_legit_no_training", "", StringComparison.Ordinal);
    }

    private void CountUsers()
    {
        int Count(Node n) => n.Users.Sum(u => u.Op is { } op && op.Schema.IsView && ReferenceEquals(u.Args.ElementAtOrDefault(0), n) ? Math.Max(Count(u), 1) : 1);
        foreach (var node in program.Graph.Nodes) effectiveUsers[node] = Count(node);
    }

    // addmm/mm whose only consumer (possibly through views) is relu or tanh-gelu: cuBLASLt applies it.
    private void FindMatmulEpilogues()
    {
        if (!options.FuseMatmulEpilogues) return;
        foreach (var node in program.Graph.Nodes)
        {
            if (node.Op?.Name is not ("aten::addmm" or "aten::mm")) continue;
            var consumer = node;
            while (consumer.Users.Count == 1 && consumer.Users[0].Op is { Schema.IsView: true }) consumer = consumer.Users[0];
            if (consumer.Users.Count != 1) continue;
            var activation = consumer.Users[0];
            var kind = activation.Op?.Name switch
            {
                "aten::relu" => MatmulActivation.Relu,
                "aten::gelu" when GeluMode(activation) == "tanh" || options.ApproximateErfGeluInMatmul => MatmulActivation.GeluTanh,
                _ => (MatmulActivation?)null,
            };
            if (kind is null || options.ForceHost.Contains(activation.Op!.Name)) continue;
            matmulActivations[node] = kind.Value;
            matmulActivationNodes[node] = activation;
            absorbed.Add(activation);
        }
    }

    private static string GeluMode(Node gelu) => gelu.Kwargs.TryGetValue("approximate", out var a) && a is string s ? s : gelu.Args.Length > 1 && gelu.Args[1] is string p ? p : "none";

    private IReadOnlyList<ProgramOutput> PlanOutputs()
    {
        var output = program.Graph.OutputNode ?? throw new InvalidOperationException("The program has no output node.");
        var items = Graph.OutputItems(output);
        var result = new List<ProgramOutput>();
        for (int i = 0; i < items.Length; i++)
        {
            var spec = program.GraphSignature.OutputSpecs[i];
            var value = ResolveArg(items[i]);
            // A state updated in place is already in its own buffer: that is the output, with nothing to write back.
            bool inPlace = spec.Kind is OutputKind.BufferMutation or OutputKind.ParameterMutation && value is PlannedValue { Stored: { IsContiguous: true } stored }
                && weightByTarget.TryGetValue(spec.Target!, out var ownBuffer) && stored.Buffer == ownBuffer;
            result.Add(value is PlannedValue tensor
                ? new ProgramOutput(spec, inPlace ? tensor.Stored! : MaterializeContiguous(tensor), null)
                : new ProgramOutput(spec, null, value));
        }
        // A buffer or parameter the program writes (a static key/value cache, a step counter) gets its new value in its
        // own device buffer as the last steps, after every read of the old one: the next call, and each replay of the
        // captured graph, reads it there, as the CPU backend's next call reads its state.
        foreach (var planned in result)
            if (planned.WritesState && planned.View is { } written
                && weightByTarget.TryGetValue(planned.Spec.Target!, out var own) && written.Buffer != own)
            {
                var space = new IterationSpace("i", "x", [.. written.Shape]);
                var coordinates = space.Coordinates;
                var target = StridedView.Contiguous(own, [.. written.Shape]);
                steps.Add(new PointwiseKernel($"write_back_{own.Name}", $"{own.Name} = its new value (the program writes it in place)", space,
                    [Tighten(space, new Store(own, target.Index(coordinates), new LoadExpr(written.Buffer, written.Index(coordinates))))]));
            }
        return result;
    }

    /// <summary>Which outputs of a multi-output node are read (through getitem).</summary>
    private static HashSet<int> UsedItems(Node node) =>
        node.Users.Where(u => u.Target is BuiltinTarget b && b == BuiltinTarget.GetItem).Select(u => checked((int)Convert.ToInt64(u.Args[1]))).ToHashSet();

    /// <summary>Consumers of a multi-output node's first output.</summary>
    private int FirstItemUsers(Node node) =>
        node.Users.Where(u => u.Target is BuiltinTarget b && b == BuiltinTarget.GetItem && Convert.ToInt64(u.Args[1]) == 0).Sum(u => effectiveUsers.GetValueOrDefault(u));

    private static int NormalizeDim(long dim, int rank) => (int)(dim < 0 ? dim + rank : dim);

    /// <summary>A size symbol of the node's value that no user input's shape gives, or null.</summary>
    private string? DataDependentSize(Node node)
    {
        // A multi-output op's list may hold nulls (an output it does not produce).
        var metas = node.Value switch
        {
            TensorMeta meta => [meta],
            TensorMeta?[] list => list.OfType<TensorMeta>(),
            _ => [],
        };
        return metas.SelectMany(m => m.Shape).Select(shapes.Unbound).FirstOrDefault(s => s is not null);
    }

    /// <summary>Why a program holding complex numbers (FFTs, rotary embeddings written with view_as_complex) stays on the CPU.</summary>
    private static string ComplexRefusal(DType dtype) =>
        $"it holds complex numbers ({dtype.TorchName()}), and the CUDA kernels compute real dtypes only; such programs run on the CPU backend " +
        "(or write the complex arithmetic on real and imaginary parts, as view_as_real gives them)";

        private static NotSupportedException Unsupported(Node node, string what) =>
        new($"The CUDA planner cannot lower node {node.Name}: {what}.");
}
