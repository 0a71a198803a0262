namespace Graphport;

/// <summary>
/// The traced code needs more than the dynamic shapes allow (torch's ConstraintViolationError). The message
/// lists each violation and ends with suggested fixes written in C#, ready to paste over the Dim declarations.
/// </summary>
public sealed class ConstraintViolationException(string message, IReadOnlyList<string> violations, IReadOnlyList<string> suggestedFixes)
    : ExportException(message)
{
    public IReadOnlyList<string> Violations { get; } = violations;

    /// <summary>C# statements such as `inp4_dim0 = new Dim("inp4_dim0", max: 16);`.</summary>
    public IReadOnlyList<string> SuggestedFixes { get; } = suggestedFixes;
}
