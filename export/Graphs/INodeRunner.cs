namespace Graphport.Graphs;

/// <summary>
/// Runs chosen nodes of a graph its own way while <see cref="GraphInterpreter"/> runs the rest: a frozen module's
/// convolutions with their batch norms folded in, say. <paramref name="resolve"/> turns an argument (a node, a
/// list, a constant) into its value in this run.
/// </summary>
internal interface INodeRunner
{
    bool TryRun(Node node, Func<object?, object?> resolve, out object? result);

    /// <summary>How this runner runs the node, for a profile ("fused elementwise chain", ...), or null when it leaves
    /// the node to the interpreter.</summary>
    string? Role(Node node);
}
