using Graphport.Graphs;

namespace Graphport.ExportDB;

/// <summary>The result of exporting a case: the program (graph, signature, ranges) or the error.</summary>
public sealed record CaseOutcome(
    bool Exported,
    string? Program,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    string? RangeConstraints,
    string? ErrorType,
    string? ErrorMessage)
{
    public static CaseOutcome From(ExportDbRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Program is not { } program)
        {
            var error = run.Error!;
            return new CaseOutcome(false, null, [], [], null, error.GetType().Name, CleanLines(RepositoryPaths.Relativize(error.Message)));
        }
        var signature = program.GraphSignature;
        return new CaseOutcome(
            true,
            CleanLines(GraphPrinter.Readable(program.Graph, withSources: false)),
            signature.InputSpecs.Select(s => Spec(s.Arg.Name, KindName(s.Kind), s.Target)).ToList(),
            signature.OutputSpecs.Select(s => Spec(s.Arg.Name, KindName(s.Kind), s.Target)).ToList(),
            program.RangeConstraints.ToString(),
            null,
            null);
    }

    private static string Spec(string name, string kind, string? target) => target is null ? $"{name}: {kind}" : $"{name}: {kind} ({target})";

    /// <summary>UserInputMutation → USER_INPUT_MUTATION, torch's enum spelling.</summary>
    private static string KindName<T>(T kind) where T : struct, Enum =>
        string.Concat(kind.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? "_" + ch : ch.ToString())).ToUpperInvariant();

    /// <summary>Printed graphs end lines with indentation-only padding; trimmed so the docs carry no trailing blanks.</summary>
    private static string CleanLines(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd())).Trim('\n');
}
