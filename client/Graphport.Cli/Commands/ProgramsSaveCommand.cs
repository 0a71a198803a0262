using Graphport.Client;
using Graphport.Grains;

namespace Graphport.Cli.Commands;

/// <summary>
/// graphport programs save NAME[@VERSION] --out FILE.pt2: writes a stored version as a .pt2 archive, which
/// ExportedProgram.Load, torch.export.load, `graphport compile` and `graphport programs upload` (on another cluster) read.
/// </summary>
public sealed class ProgramsSaveCommand : ClusterCommand
{
    public override IReadOnlyList<string> Path { get; } = ["programs", "save"];

    public override string Arguments => "NAME[@VERSION] --out FILE.pt2 [--json]";

    public override string Summary => "Write a program version as a .pt2 archive (ExportedProgram.Load and torch.export.load read it).";

    protected override IEnumerable<string> OwnOptions => ["--out"];

    protected override void Validate(CommandArguments arguments)
    {
        ProgramArgument(arguments);
        if (arguments.Option("--out") is null) throw new UsageException("Give the file to write with --out FILE.pt2.");
    }

    protected override void Validate(CommandArguments arguments, CommandContext context)
    {
        Validate(arguments);
        string file = FileArgument(context, arguments.Option("--out")!);
        if (Directory.Exists(file))
            throw new UsageException($"--out {arguments.Option("--out")} is a folder; name the file to write, e.g. {System.IO.Path.Combine(arguments.Option("--out")!, ProgramArgument(arguments).Name + ".pt2")}.");
    }

    protected override async Task<int> RunAsync(GraphportClient client, CommandArguments arguments, CommandContext context)
    {
        var requested = ProgramArgument(arguments);
        string file = FileArgument(context, arguments.Option("--out")!);
        ProgramRef saved;
        try
        {
            saved = await client.DownloadAsync(requested, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GraphportException(GraphportErrorKind.Unavailable, $"Cannot write {file}: {e.Message}");
        }
        long bytes = new FileInfo(file).Length;
        if (arguments.Has("--json"))
        {
            context.Out.WriteLine(CliJson.Serialize(new { program = saved.ToString(), file, bytes }));
            return ExitCodes.Success;
        }
        context.Out.WriteLine($"Saved {saved} to {file} ({OutputFormat.Bytes(bytes)})");
        return ExitCodes.Success;
    }
}
