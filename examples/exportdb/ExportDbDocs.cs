using System.Text;

namespace Graphport.ExportDB;

/// <summary>
/// Renders docs/exportdb.md from fresh runs of every case. The text depends only on the cases and on what
/// export does (no random values, absolute paths or identity hashes), so a test can compare the committed
/// file with a new rendering and fail when it is stale.
/// </summary>
public static class ExportDbDocs
{
    /// <summary>Where the rendered page lives, relative to the repository root.</summary>
    public const string RelativePath = "docs/exportdb.md";

    public static string Render() => Render(ExportDb.Cases.Select(c => CaseReport.Create(ExportDb.Run(c))).ToList());

    public static string Render(IReadOnlyList<CaseReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var sb = new StringBuilder();
        sb.Append("# ExportDB\n\n");
        sb.Append("<!-- Generated from examples/exportdb/Cases by `graphport exportdb docs --write`; edit the cases, not this file. -->\n\n");
        sb.Append("ExportDB is a catalog of small programs, each exercising one C# or Graphport feature, together with what ");
        sb.Append("`Torch.Export` does with it today. It follows torch's ExportDB: the same case names and tags where a feature ");
        sb.Append("has a C# counterpart, plus `csharp.*` cases for what strict mode checks in C# code. Look a feature up before ");
        sb.Append("exporting a model that uses it, or when an export fails and the fix is not obvious: unsupported cases link to ");
        sb.Append("a rewrite that exports.\n\n");
        int supported = reports.Count(r => r.Support == SupportLevel.Supported);
        sb.Append($"{reports.Count} cases: {supported} supported, {reports.Count - supported} not supported yet. ");
        sb.Append("Every result below comes from running the case; the ExportDB tests check that supported cases compute what ");
        sb.Append("the eager module computes and that this page is up to date.\n\n");

        sb.Append("| Case | Support | Tags |\n|---|---|---|\n");
        foreach (var r in reports)
            sb.Append($"| [{r.Name}](#{r.Name}) | {r.SupportName} | {string.Join(", ", r.Tags.Select(t => $"`{t}`"))} |\n");
        sb.Append('\n');

        sb.Append("## Cases by tag\n\n");
        foreach (var tag in ExportDbTags.Known)
        {
            var names = reports.Where(r => r.Tags.Contains(tag)).Select(r => $"[{r.Name}](#{r.Name})").ToList();
            if (names.Count > 0) sb.Append($"- `{tag}`: {string.Join(", ", names)}\n");
        }
        sb.Append('\n');

        foreach (var r in reports) AppendCase(sb, r);
        return sb.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>One case's section: metadata, description, source, export call and result.</summary>
    public static void AppendCase(StringBuilder sb, CaseReport r)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(r);
        sb.Append($"## {r.Name}\n\n");
        sb.Append($"- **Support:** {r.SupportName}\n");
        sb.Append($"- **Tags:** {string.Join(", ", r.Tags.Select(t => $"`{t}`"))}\n");
        if (r.RewriteOf is { } of) sb.Append($"- **Rewrite of:** [{of}](#{of})\n");
        if (r.RewrittenBy.Count > 0) sb.Append($"- **Rewritten by:** {string.Join(", ", r.RewrittenBy.Select(n => $"[{n}](#{n})"))}\n");
        sb.Append($"- **Source:** `{r.SourcePath}`\n\n");
        sb.Append(r.Description).Append("\n\n");
        sb.Append("```csharp\n").Append(r.Source).Append("\n```\n\n");
        sb.Append($"Exported with {r.Inputs}");
        if (r.DynamicShapes is { } shapes) sb.Append($", dynamic shapes {shapes}");
        sb.Append(r.Strict ? ", strict.\n\n" : ", non-strict (strict: false).\n\n");
        var o = r.Outcome;
        if (o.Exported)
        {
            sb.Append("Result: exported.\n\n");
            sb.Append("```python\n").Append(o.Program).Append("\n```\n\n");
            sb.Append($"- Inputs: {string.Join(", ", o.Inputs.Select(i => $"`{i}`"))}\n");
            sb.Append($"- Outputs: {string.Join(", ", o.Outputs.Select(i => $"`{i}`"))}\n");
            sb.Append($"- Range constraints: `{o.RangeConstraints}`\n\n");
        }
        else
        {
            sb.Append($"Result: `{o.ErrorType}`\n\n");
            sb.Append("```\n").Append(o.ErrorMessage).Append("\n```\n\n");
        }
    }
}
