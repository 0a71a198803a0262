using System.Collections.Concurrent;
using Graphport.Tracing;

namespace Graphport;

/// <summary>
/// Defines custom operators (torch.library): Define declares an op by schema in this namespace, Impl gives its
/// CPU implementation, ImplAbstract its meta function (output shapes from fake inputs). Custom ops are called as
/// Ops["ns::name"].Call(...), appear in exported graphs as ns.name.default, and survive RunDecompositions unless
/// given a decomposition. Disposing the library unregisters its ops.
/// </summary>
public sealed class Library : IDisposable
{
    private static readonly ConcurrentDictionary<string, Library> Owners = new(StringComparer.Ordinal);
    private readonly List<Operators.OpOverload> defined = [];

    public Library(string ns, LibraryKind kind)
    {
        if (string.IsNullOrWhiteSpace(ns) || !ns.All(c => char.IsLetterOrDigit(c) || c == '_'))
            throw new ArgumentException($"Library namespace \"{ns}\" must be a non-empty identifier (letters, digits, _).", nameof(ns));
        if (ns is "aten" or "prim" or "prims" && kind != LibraryKind.Impl)
            throw new ArgumentException($"The {ns} namespace belongs to the built-in operators; use LibraryKind.Impl to add implementations, or choose your own namespace.", nameof(ns));
        if (kind == LibraryKind.Def && !Owners.TryAdd(ns, this))
            throw new InvalidOperationException($"Only one Library with kind Def may own the namespace \"{ns}\"; use LibraryKind.Fragment to add operators to it.");
        Namespace = ns;
        Kind = kind;
    }

    public string Namespace { get; }

    public LibraryKind Kind { get; }

    /// <summary>The operators this library has defined (and not yet unregistered by Dispose), in definition order.</summary>
    public IReadOnlyList<Operators.OpOverload> DefinedOperators => defined.AsReadOnly();

    /// <summary>Declares an operator, e.g. Define("custom_op(Tensor input) -> Tensor"); returns it.</summary>
    public Operators.OpOverload Define(string schema, params string[] tags)
    {
        if (Kind == LibraryKind.Impl) throw new InvalidOperationException($"A Library of kind Impl cannot define operators; use LibraryKind.Def or Fragment for namespace {Namespace}.");
        var parsed = Operators.OpSchema.Parse(schema, Namespace);
        if (parsed.Namespace != Namespace)
            throw new ArgumentException($"Library {Namespace} cannot define {parsed.QualifiedName}: the schema names another namespace.", nameof(schema));
        var op = Operators.OpRegistry.Instance.Define(schema, Namespace);
        op.Tags = tags.ToHashSet();
        defined.Add(op);
        return op;
    }

    /// <summary>The CPU implementation, as a function of the op's arguments (tensors, numbers, lists) in schema order.</summary>
    public void Impl(string name, Delegate implementation)
    {
        var op = Resolve(name);
        op.Kernel = Adapt(op, implementation, "Impl");
    }

    /// <summary>
    /// The meta function (torch's impl_abstract / register_fake): receives tensors with shapes but no data and
    /// returns tensors of the output shapes, e.g. (Tensor t) => Torch.EmptyLike(t).
    /// </summary>
    public void ImplAbstract(string name, Delegate meta)
    {
        var op = Resolve(name);
        var run = Adapt(op, meta, "ImplAbstract");
        op.Meta = args => RunAbstract(op, run, args);
    }

    /// <summary>Runs a user meta function on fake inputs in a scratch trace and returns the outputs' metadata.</summary>
    private static object RunAbstract(Operators.OpOverload op, Operators.KernelFunction run, object?[] args)
    {
        var outer = Tracer.Current;
        var shapeEnv = outer?.ShapeEnv ?? new Shapes.ShapeEnv();
        var scratch = new Tracer(shapeEnv, strict: false, outer);
        object? result;
        using (scratch.Activate())
        {
            var fakeArgs = args.Select(a => a is Tensor t && !t.IsFake ? scratch.AddInput("arg", t.Meta) : a).ToArray();
            result = run(fakeArgs);
        }
        return result switch
        {
            Tensor t => t.Meta,
            Tensor[] ts => ts.Select(x => x.Meta).ToArray(),
            IEnumerable<Tensor> ts => ts.Select(x => x.Meta).ToArray(),
            _ => throw new ExportException($"The abstract implementation of {op.Name} returned {result?.GetType().Name ?? "null"}; it must return tensors with the output shapes (e.g. Torch.EmptyLike(input))."),
        };
    }

    private Operators.OpOverload Resolve(string name)
    {
        string qualified = name.Contains("::", StringComparison.Ordinal) ? name : $"{Namespace}::{name}";
        if (!Operators.OpRegistry.Instance.TryGet(qualified, out var op))
            throw new KeyNotFoundException($"Operator {qualified} is not defined; call Define(\"{name}(...) -> ...\") on a Library of namespace {Namespace} first.");
        return op;
    }

    /// <summary>Turns a typed delegate (Func&lt;Tensor, Tensor&gt;, ...) into a function of bound arguments.</summary>
    private static Operators.KernelFunction Adapt(Operators.OpOverload op, Delegate fn, string what)
    {
        ArgumentNullException.ThrowIfNull(fn);
        if (fn is Operators.KernelFunction kernel) return kernel;
        var parameters = fn.Method.GetParameters();
        if (parameters.Length != op.Schema.Arguments.Count)
            throw new ArgumentException($"{what} for {op.Name} takes {parameters.Length} parameter(s) but the schema declares {op.Schema.Arguments.Count}: {op.Schema}.");
        return args =>
        {
            var converted = new object?[args.Length];
            for (int i = 0; i < args.Length; i++) converted[i] = ConvertArgument(args[i], parameters[i].ParameterType);
            try
            {
                return fn.DynamicInvoke(converted);
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        };
    }

    private static object? ConvertArgument(object? value, Type target) => value switch
    {
        SymInt s when target == typeof(long) => (long)s,
        SymInt s when target == typeof(int) => (int)s,
        SymInt[] s when target == typeof(long[]) => s.Select(x => (long)x).ToArray(),
        long l when target == typeof(double) => (double)l,
        long l when target == typeof(int) => (int)l,
        _ => value,
    };

    /// <summary>Unregisters the operators this library defined; programs using them then fail to run, naming the op.</summary>
    public void Dispose()
    {
        foreach (var op in defined) Operators.OpRegistry.Instance.Remove(op.Name);
        defined.Clear();
        Owners.TryRemove(new KeyValuePair<string, Library>(Namespace, this));
    }
}
