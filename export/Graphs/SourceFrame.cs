namespace Graphport.Graphs;

/// <summary>The user code that produced a node: file, line, method and the line's text (torch's stack_trace meta).</summary>
public sealed record SourceFrame(string File, int Line, string Method, string? Code)
{
    /// <summary>"# File: Tutorial.cs:70 in MyModule.Forward, code: return ..." as print_readable writes it.</summary>
    public string Describe() => $"File: {File}:{Line} in {Method}{(Code is null ? "" : $", code: {Code}")}";

    public override string ToString() => $"{File}:{Line} in {Method}";
}
