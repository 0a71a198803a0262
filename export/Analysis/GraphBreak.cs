namespace Graphport.Analysis;

/// <summary>
/// One construct strict export cannot capture as a single graph, and where the user wrote it.
/// </summary>
public sealed record GraphBreak(GraphBreakKind Kind, string Message, SourceLocation? Location)
{
    /// <summary>
    /// Renders like Dynamo's "from user code:" trailer, so the message points at the line to change
    /// the same way a torch.export failure does. \n is used on every platform so the text is stable in tests and logs.
    /// </summary>
    public override string ToString()
    {
        if (Location is null)
            return Message;
        var text = $"{Message}\n\nfrom user code:\n   File \"{Location.File}\", line {Location.Line}, in {Location.Method}";
        return Location.Code is null ? text : $"{text}\n    {Location.Code}";
    }
}
