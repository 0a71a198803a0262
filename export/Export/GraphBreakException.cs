using Graphport.Analysis;

namespace Graphport;

/// <summary>Strict export found code it cannot capture as one graph; the message names the user's file and line.</summary>
public sealed class GraphBreakException(GraphBreak first, IReadOnlyList<GraphBreak> all, string message) : ExportException(message)
{
    public GraphBreak Break { get; } = first;

    public IReadOnlyList<GraphBreak> AllBreaks { get; } = all;
}
