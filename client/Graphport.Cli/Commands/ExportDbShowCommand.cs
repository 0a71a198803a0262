using System.Text;
using Graphport.ExportDB;

namespace Graphport.Cli.Commands;

/// <summary>graphport exportdb show NAME: runs one case and prints its description, source and result.</summary>
public sealed class ExportDbShowCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["exportdb", "show"];

    public string Arguments => "NAME [--json]";

    public string Summary => "Export one ExportDB case and show its description, source and result.";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "--json" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string>();

    public int Run(CommandArguments arguments, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        if (arguments.Positionals.Count != 1) throw new UsageException("Give exactly one case name.");
        string name = arguments.Positionals[0];
        var @case = ExportDb.TryGet(name)
            ?? throw new UsageException($"No ExportDB case named '{name}'. Cases: {string.Join(", ", ExportDb.Cases.Select(c => c.Name))}.");
        var report = CaseReport.Create(ExportDb.Run(@case));
        if (arguments.Has("--json"))
        {
            context.Out.WriteLine(CliJson.Serialize(report));
        }
        else
        {
            // The same section the docs page has: markdown reads well in a terminal too.
            var sb = new StringBuilder();
            ExportDbDocs.AppendCase(sb, report);
            context.Out.Write(sb.ToString().TrimEnd('\n') + "\n");
        }
        return ExitCodes.Success;
    }
}
