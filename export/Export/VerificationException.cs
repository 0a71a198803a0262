namespace Graphport;

/// <summary>An exported program failed verification; the message lists every problem found.</summary>
public sealed class VerificationException(IReadOnlyList<string> problems)
    : ExportException("The exported program is not valid:\n" + string.Join("\n", problems.Select(p => $"  - {p}")))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
