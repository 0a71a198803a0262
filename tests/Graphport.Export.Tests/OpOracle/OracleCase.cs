namespace Graphport.Tests.OpOracle;

/// <summary>How two results of the same op call are compared.</summary>
public enum Agreement
{
    /// <summary>Values within the dtype's tolerances (exact for integers and bools).</summary>
    Values,

    /// <summary>Only shape and dtype: random ops draw from different streams, empty ops return unspecified values.</summary>
    ShapeAndDType,
}

/// <summary>One call of an op: its arguments (real tensors and constants) and how results must agree.</summary>
public sealed record OracleCase(string Description, object?[] Args, Agreement Agreement = Agreement.Values)
{
    /// <summary>False for calls whose result size depends on data in a way a decomposition cannot yet trace.</summary>
    public bool Traceable { get; init; } = true;

    public override string ToString() => Description;

    /// <summary>Deep-copies the tensor arguments, so an in-place op can run twice on the same inputs.</summary>
    public object?[] CloneArgs() => Args.Select(a => a switch
    {
        Tensor t => (object?)t.Clone(),
        Tensor?[] ts => ts.Select(t => t?.Clone()).ToArray(),
        _ => a,
    }).ToArray();
}
