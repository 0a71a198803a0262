namespace Graphport;

/// <summary>
/// One node's share of a profiled run (<see cref="ExportedModule.Profile"/>): its name, its target as the graph
/// prints it (aten.convolution.default), its time in milliseconds, and for a frozen module how the node was run
/// when not as written (a convolution with its batch norm folded in, the first node of a fused elementwise chain,
/// a node whose work was folded or fused into another), or null.
/// </summary>
public sealed record NodeTiming(string Node, string Target, double Milliseconds, string? Frozen = null)
{
    /// <summary>What a profile sums this node under: how a frozen module ran it, else its target.</summary>
    public string Kind => Frozen ?? Target;
}
