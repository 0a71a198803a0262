using System.Globalization;
using Graphport.Client;
using Graphport.Grains;

namespace Graphport.Cli.Commands;

/// <summary>graphport decompose PROGRAM: decomposes a version (the latest by default) with a table into a new version.</summary>
public sealed class DecomposeCommand : ClusterCommand
{
    public override IReadOnlyList<string> Path { get; } = ["decompose"];

    public override string Arguments => "NAME[@VERSION] [--table core|core-gqa|ops:aten::t,...] [--json]";

    public override string Summary => "Decompose a program version (Core ATen by default) into a new version.";

    protected override IEnumerable<string> OwnOptions => ["--table"];

    protected override void Validate(CommandArguments arguments)
    {
        ProgramArgument(arguments);
        Table(arguments);
    }

    private static string Table(CommandArguments arguments)
    {
        try
        {
            return DecompositionTables.Normalize(arguments.Option("--table"));
        }
        catch (GraphportException e)
        {
            throw new UsageException(e.Message);
        }
    }

    protected override async Task<int> RunAsync(GraphportClient client, CommandArguments arguments, CommandContext context)
    {
        var result = await client.DecomposeAsync(ProgramArgument(arguments), Table(arguments));
        var source = new ProgramRef(result.Info.Name, result.Info.DerivedFrom ?? 0);
        if (arguments.Has("--json"))
        {
            context.Out.WriteLine(CliJson.Serialize(new { program = result.Program.ToString(), result.DecomposeMs, result.Reused, info = result.Info }));
            return ExitCodes.Success;
        }
        context.Out.WriteLine(result.Reused
            ? $"{result.Program} is {source} decomposed with {result.Info.Table} (made earlier)"
            : $"Decomposed {source} with {result.Info.Table} into {result.Program} in {result.DecomposeMs.ToString("0", CultureInfo.InvariantCulture)} ms");
        ProgramsShowCommand.WriteVersion(context.Out, result.Info);
        return ExitCodes.Success;
    }
}
