namespace Graphport.Analysis;

/// <summary>
/// The result of interpreting one method: its breaks (with IL offsets, in IL order), the user methods it reaches
/// in the order first seen, and whether a tainted value can flow out through its return.
/// </summary>
internal sealed record MethodAnalysis(IReadOnlyList<FoundBreak> Breaks, IReadOnlyList<CalleeRequest> Callees, bool ReturnsTaint)
{
    public static MethodAnalysis Empty { get; } = new([], [], false);
}
