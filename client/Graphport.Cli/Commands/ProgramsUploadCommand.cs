using Graphport.Client;
using Graphport.Grains;

namespace Graphport.Cli.Commands;

/// <summary>
/// graphport programs upload FILE.pt2: stores a .pt2 archive (torch.export.save, ExportedProgram.Save, `programs save`)
/// as a new version of a program. Not `graphport export FILE.pt2`: export traces a source on the silos, and an
/// archive is a program already, stored as it is (its version's kind is "uploaded").
/// </summary>
public sealed class ProgramsUploadCommand : ClusterCommand
{
    /// <summary>The program name when the file's name makes none.</summary>
    public const string FallbackName = "program";

    public override IReadOnlyList<string> Path { get; } = ["programs", "upload"];

    public override string Arguments => "FILE.pt2 [--name NAME] [--origin TEXT] [--json]";

    public override string Summary => "Store a .pt2 archive (torch.export.save, ExportedProgram.Save) as a new program version.";

    protected override IEnumerable<string> OwnOptions => ["--name", "--origin"];

    protected override void Validate(CommandArguments arguments)
    {
        if (arguments.Positionals.Count != 1) throw new UsageException("Give exactly one .pt2 file, e.g. graphport programs upload model.pt2.");
        if (ProgramName(arguments) is var name && !ProgramRef.IsValidName(name)) throw new UsageException(ProgramRef.InvalidNameMessage(name));
        if (UploadRequest.OriginProblem(arguments.Option("--origin")) is { } problem) throw new UsageException($"--origin: {problem}");
    }

    /// <summary>
    /// The file must be there and be a .pt2 archive, checked here so a wrong file costs no cluster start. An archive
    /// naming an operator this process does not know still goes up: the silos may define it.
    /// </summary>
    protected override void Validate(CommandArguments arguments, CommandContext context)
    {
        Validate(arguments);
        string given = arguments.Positionals[0];
        if (given.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"'{given}' is an ONNX model: store it with graphport import onnx {given}.");
        string file = FileArgument(context, given);
        if (!File.Exists(file)) throw new UsageException($"No file '{given}'. Name a .pt2 archive written by torch.export.save or ExportedProgram.Save.");
        if (MessageLimits.ArchiveProblem(new FileInfo(file).Length) is { } tooLarge) throw new UsageException($"{given}: {tooLarge}");
        try
        {
            ExportedProgram.Load(file);
        }
        catch (InvalidDataException e)
        {
            // The engine's message names the file and what is wrong with it.
            throw new UsageException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read {given}: {e.Message}");
        }
        catch (ExportException)
        {
            // An operator unknown here; the silos decide, and say which one if they do not know it either.
        }
    }

    protected override async Task<int> RunAsync(GraphportClient client, CommandArguments arguments, CommandContext context)
    {
        string file = FileArgument(context, arguments.Positionals[0]);
        var result = await client.UploadFileAsync(ProgramName(arguments), file, arguments.Option("--origin"));
        if (arguments.Has("--json"))
        {
            context.Out.WriteLine(CliJson.Serialize(new { program = result.Program.ToString(), file, info = result.Info }));
            return ExitCodes.Success;
        }
        context.Out.WriteLine($"Uploaded {System.IO.Path.GetFileName(file)} as {result.Program}");
        ProgramsShowCommand.WriteVersion(context.Out, result.Info);
        return ExitCodes.Success;
    }

    private static string ProgramName(CommandArguments arguments) =>
        arguments.Option("--name") ?? ProgramNames.FromFile(arguments.Positionals[0], FallbackName);
}
