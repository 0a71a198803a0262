namespace Graphport.Operators;

/// <summary>Computes output metadata (TensorMeta, TensorMeta[], or a scalar) from normalized arguments.</summary>
public delegate object MetaFunction(object?[] args);

/// <summary>Computes real outputs (Tensor, Tensor[], or a scalar) from normalized eager arguments.</summary>
public delegate object? KernelFunction(object?[] args);

/// <summary>
/// One overload of an operator (torch.ops.aten.add.Tensor): its schema, meta function (shapes and dtypes,
/// symbolic while tracing), CPU kernel, and — for composite ops — the body that runs in place of a kernel,
/// so tracing records its constituent ops instead (as linear becomes t + addmm).
/// </summary>
public sealed class OpOverload
{
    internal OpOverload(OpSchema schema)
    {
        Schema = schema;
    }

    public OpSchema Schema { get; }

    /// <summary>"aten::add.Tensor" (the default overload is written without a suffix: "aten::relu").</summary>
    public string Name => Schema.QualifiedName;

    public string Namespace => Schema.Namespace;

    public string OpName => Schema.Name;

    /// <summary>The overload name as torch spells it in targets: "Tensor", or "default".</summary>
    public string Overload => Schema.OverloadName.Length == 0 ? "default" : Schema.OverloadName;

    /// <summary>"aten.add.Tensor", as FX graphs print targets after torch.ops.</summary>
    public string Target => $"{Namespace}.{OpName}.{Overload}";

    public MetaFunction? Meta { get; internal set; }

    /// <summary>Whether the process's <see cref="OpRegistry"/> holds this very overload (it defined it and has not
    /// removed it): the interpreter checks this for every node it runs, without a lookup by name.</summary>
    internal bool IsRegistered { get; set; }

    public KernelFunction? Kernel { get; internal set; }

    /// <summary>Runs instead of recording a node (CompositeImplicitAutograd ops such as linear or reshape).</summary>
    public KernelFunction? Composite { get; internal set; }

    /// <summary>For in-place ops (add_), the functional op tracing records instead (add).</summary>
    public OpOverload? FunctionalVariant { get; internal set; }

    /// <summary>Tags from native_functions.yaml that matter here: "core", "pointwise", "view", "inplace_view"...</summary>
    public IReadOnlySet<string> Tags { get; internal set; } = new HashSet<string>();

    /// <summary>True for members of the Core ATen opset (the list RunDecompositions decomposes to).</summary>
    public bool IsCore => Namespace == "aten" && CoreAtenOpset.Contains(this);

    /// <summary>
    /// Whether the op stays in a program decomposed to Core ATen although it is not core: run-time assertions
    /// ("side_effect"), the complex-number ops ("complex") and the special functions, order statistics and matrix
    /// factorizations ("no_decomposition") torch has no decomposition for, which torch's run_decompositions keeps too.
    /// </summary>
    public bool StaysThroughDecomposition => Tags.Contains("side_effect") || Tags.Contains("complex") || Tags.Contains("no_decomposition");

    /// <summary>Calls the op: eagerly on real tensors, or records a node while tracing.</summary>
    public object? Call(params object?[] args) => Dispatcher.Invoke(this, ArgumentBinder.Bind(this, args, null));

    /// <summary>Calls the op with keyword arguments for the schema's named parameters.</summary>
    public object? Call(object?[] args, IReadOnlyDictionary<string, object?> kwargs) =>
        Dispatcher.Invoke(this, ArgumentBinder.Bind(this, args, kwargs));

    /// <summary>Binds arguments to the schema (defaults filled, values canonicalized) without calling.</summary>
    public object?[] BindArgs(object?[] args, IReadOnlyDictionary<string, object?>? kwargs = null) => ArgumentBinder.Bind(this, args, kwargs);

    /// <summary>Calls the op and returns its single tensor result.</summary>
    public Tensor CallTensor(params object?[] args) => Call(args) as Tensor
        ?? throw new InvalidOperationException($"{Name} does not return a single tensor; use Call and cast the result.");

    public override string ToString() => Name;
}
