using System.Globalization;
using Graphport.Client;
using Graphport.Grains;

namespace Graphport.Cli.Commands;

/// <summary>graphport export SOURCE: exports zoo:NAME (or module:NAME, registered on the silos, with --inputs FILE) and stores it.</summary>
public sealed class ExportCommand : ClusterCommand
{
    public override IReadOnlyList<string> Path { get; } = ["export"];

    public override string Arguments => "zoo:NAME|module:NAME [--name PROGRAM] [--batch N] [--inputs FILE.json] [--non-strict] [--json]";

    public override string Summary => "Export a zoo model or a registered module and store it as a new program version.";

    protected override IEnumerable<string> OwnFlags => ["--non-strict"];

    protected override IEnumerable<string> OwnOptions => ["--name", "--batch", "--inputs"];

    protected override void Validate(CommandArguments arguments) => Request(arguments);

    private static ExportRequest Request(CommandArguments arguments)
    {
        if (arguments.Positionals.Count != 1) throw new UsageException("Give exactly one source: zoo:NAME or module:NAME.");
        string source = arguments.Positionals[0];
        // An archive is a program already: there is nothing to trace, so it is stored as it is.
        if (source.EndsWith(".pt2", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"'{source}' is a .pt2 archive, a program exported already: store it with graphport programs upload {source} [--name NAME].");
        if (!source.StartsWith(ExportRequest.ZooPrefix, StringComparison.Ordinal) && !source.StartsWith(ExportRequest.ModulePrefix, StringComparison.Ordinal))
            throw new UsageException($"Unknown source '{source}': use zoo:NAME or module:NAME.");
        string? name = arguments.Option("--name");
        if (name is not null && !ProgramRef.IsValidName(name)) throw new UsageException(ProgramRef.InvalidNameMessage(name));
        var inputs = arguments.Option("--inputs") is { } file ? InputFiles.ExportInputs(file) : null;
        if (source.StartsWith(ExportRequest.ModulePrefix, StringComparison.Ordinal) && inputs is null)
            throw new UsageException($"Exporting {source} needs --inputs FILE.json describing its Forward arguments.");
        return new ExportRequest(source, name, inputs, LongOption(arguments, "--batch", 2, 2, 1024), !arguments.Has("--non-strict"));
    }

    protected override async Task<int> RunAsync(GraphportClient client, CommandArguments arguments, CommandContext context)
    {
        var result = await client.ExportAsync(Request(arguments));
        if (arguments.Has("--json"))
        {
            context.Out.WriteLine(CliJson.Serialize(new { program = result.Program.ToString(), exportMs = result.ExportMs, info = result.Info }));
            return ExitCodes.Success;
        }
        context.Out.WriteLine($"Exported {arguments.Positionals[0]} as {result.Program} in {result.ExportMs.ToString("0", CultureInfo.InvariantCulture)} ms");
        ProgramsShowCommand.WriteVersion(context.Out, result.Info);
        return ExitCodes.Success;
    }
}
