using System.Text.Json.Serialization;

namespace Graphport.ExportDB;

/// <summary>
/// Everything the docs and the CLI show about one case, as text: metadata, source, how it was exported and
/// what came of it. Built from a run, so it always describes what export does today.
/// </summary>
public sealed record CaseReport(
    string Name,
    string Description,
    IReadOnlyList<string> Tags,
    SupportLevel Support,
    string? RewriteOf,
    IReadOnlyList<string> RewrittenBy,
    string SourcePath,
    string Source,
    string Inputs,
    string? DynamicShapes,
    bool Strict,
    CaseOutcome Outcome)
{
    /// <summary>Torch's spelling of the support level (SUPPORTED, NOT_SUPPORTED_YET).</summary>
    [JsonIgnore]
    public string SupportName => Support == SupportLevel.Supported ? "SUPPORTED" : "NOT_SUPPORTED_YET";

    public static CaseReport Create(ExportDbRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var c = run.Case;
        var shapes = c.DynamicShapes?.Invoke();
        return new CaseReport(
            c.Name,
            c.Description,
            c.Tags,
            c.Support,
            c.RewriteOf,
            ExportDb.Cases.Where(other => other.RewriteOf == c.Name).Select(other => other.Name).ToList(),
            RepositoryPaths.SourcePath(c),
            CaseSource.Read(c),
            ValueText.DescribeInputs(run.Module, run.Args, run.Kwargs),
            shapes is null ? null : ValueText.DescribeDynamicShapes(shapes),
            c.Strict,
            CaseOutcome.From(run));
    }
}
