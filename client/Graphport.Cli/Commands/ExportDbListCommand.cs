using Graphport.ExportDB;

namespace Graphport.Cli.Commands;

/// <summary>graphport exportdb list: the cases with their support level and tags, optionally for one tag.</summary>
public sealed class ExportDbListCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["exportdb", "list"];

    public string Arguments => "[--tag TAG] [--json]";

    public string Summary => "List ExportDB cases: name, support level, tags.";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "--json" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "--tag" };

    public int Run(CommandArguments arguments, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        if (arguments.Positionals.Count > 0) throw new UsageException($"Unexpected argument '{arguments.Positionals[0]}'.");
        var cases = ExportDb.Cases.AsEnumerable();
        if (arguments.Option("--tag") is { } tag)
        {
            if (!ExportDbTags.Known.Contains(tag))
                throw new UsageException($"Unknown tag '{tag}'. Tags: {string.Join(", ", ExportDbTags.Known)}.");
            cases = cases.Where(c => c.Tags.Contains(tag));
        }
        var rows = cases.Select(c => new CaseSummary(c.Name, c.Support, c.Tags, c.RewriteOf, c.Description)).ToList();
        if (arguments.Has("--json"))
            context.Out.WriteLine(CliJson.Serialize(rows));
        else
            TextTable.Write(context.Out, ["NAME", "SUPPORT", "TAGS"], rows.Select(r => (IReadOnlyList<string>)[r.Name, SupportName(r.Support), string.Join(", ", r.Tags)]));
        return ExitCodes.Success;
    }

    private static string SupportName(SupportLevel level) => level == SupportLevel.Supported ? "SUPPORTED" : "NOT_SUPPORTED_YET";

    /// <summary>One row of the listing (and one object of its JSON).</summary>
    private sealed record CaseSummary(string Name, SupportLevel Support, IReadOnlyList<string> Tags, string? RewriteOf, string Description);
}
