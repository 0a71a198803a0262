namespace Graphport.Analysis;

/// <summary>
/// The text shown for each kind of graph break. Worded after torch.export's own errors so that
/// someone who knows the Python messages recognises them, with the C# remedy spelled out.
/// </summary>
internal static class GraphBreakMessages
{
    public const string DataDependentControlFlow =
        "Dynamic control flow is not supported at the moment. Please use Torch.Cond to explicitly capture the control flow. " +
        "For more information about this error, see: https://pytorch.org/docs/main/generated/exportdb/index.html#cond-operands";

    public const string TensorDataAccess =
        "Accessing tensor data with Tensor.Data (or ToArray/DataAs/SetData) is not supported in strict export: the graph cannot see it. " +
        "Use tensor operations instead, or export with strict: false to trace through it (a write through Data then becomes an input mutation).";

    public const string DataDependentValue =
        "Data-dependent control flow: a value read from a tensor with Item() decides a branch, so no single graph can represent it. " +
        "Use Torch.Cond with a tensor predicate instead, or keep the value a tensor.";

    public const string ObjectIdentity =
        "Calls whose result depends on object identity (RuntimeHelpers.GetHashCode, ReferenceEquals, GCHandle) are not supported in strict export: " +
        "the value would change every run. Remove the call, or export with strict: false to bake the value in as a constant.";

    public const string ExceptionHandling =
        "Exception handling (throw, try/catch) inside Forward is not supported in strict export. " +
        "Remove it, or export with strict: false to run it as ordinary C# while tracing.";

    public static string For(GraphBreakKind kind) => kind switch
    {
        GraphBreakKind.DataDependentControlFlow => DataDependentControlFlow,
        GraphBreakKind.TensorDataAccess => TensorDataAccess,
        GraphBreakKind.DataDependentValue => DataDependentValue,
        GraphBreakKind.ObjectIdentity => ObjectIdentity,
        GraphBreakKind.ExceptionHandling => ExceptionHandling,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown graph break kind."),
    };
}
