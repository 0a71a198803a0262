using System.Globalization;
using Graphport.Client;

namespace Graphport.Cli.Commands;

/// <summary>graphport programs list: every stored program with its latest version and where the program came from.</summary>
public sealed class ProgramsListCommand : ClusterCommand
{
    public override IReadOnlyList<string> Path { get; } = ["programs", "list"];

    public override string Arguments => "[--json]";

    public override string Summary => "List stored programs: versions, latest kind, ops, inputs, origin.";

    protected override void Validate(CommandArguments arguments)
    {
        if (arguments.Positionals.Count > 0) throw new UsageException($"Unexpected argument '{arguments.Positionals[0]}'.");
    }

    protected override async Task<int> RunAsync(GraphportClient client, CommandArguments arguments, CommandContext context)
    {
        var programs = await client.ListProgramsAsync();
        if (arguments.Has("--json"))
        {
            context.Out.WriteLine(CliJson.Serialize(programs));
            return ExitCodes.Success;
        }
        if (programs.Length == 0)
        {
            context.Out.WriteLine("No programs stored yet. Try: graphport zoo export");
            return ExitCodes.Success;
        }
        TextTable.Write(context.Out, ["NAME", "VERSIONS", "LATEST", "OPS", "INPUTS", "FROM"], programs.Where(p => p.Exists).Select(p => (IReadOnlyList<string>)
        [
            p.Name,
            p.Versions.Length.ToString(CultureInfo.InvariantCulture),
            $"v{p.Latest!.Version} {p.Latest.Kind.ToString().ToLowerInvariant()}",
            p.Latest.OpCount.ToString(CultureInfo.InvariantCulture),
            string.Join("; ", p.Latest.Inputs.Select(i => i.ToString())),
            OutputFormat.FirstOrigin(p, p.Latest),
        ]));
        return ExitCodes.Success;
    }
}
