namespace Graphport.Kernels.Planning;

/// <summary>
/// What a host step runs on real tensors: an op's CPU kernel, or a higher-order op (cond, map) whose subgraphs the
/// CPU interpreter runs. Name is the op's, as the backend reports it ("aten::nonzero", "higher_order.cond").
/// </summary>
public sealed record HostCall(string Name, Func<object?[], IReadOnlyDictionary<string, object?>, object?> Run)
{
    public static HostCall Of(Graphport.Operators.OpOverload op) => new(op.Name, (args, kwargs) => op.Call(args, kwargs));

    public static HostCall Of(Graphport.Graphs.HigherOrderTarget target) => new($"higher_order.{target.Name}", (args, _) => target.Run(args));
}
