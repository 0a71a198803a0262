using Graphport.Zoo;

namespace Graphport.Cli;

/// <summary>
/// A program the CLI works on in this process (compile, profile): zoo:NAME exports the zoo model, a path loads a
/// .pt2 archive. Unknown names and missing files are usage errors; a file Graphport cannot load is reported with
/// the reason (null), never a stack trace.
/// </summary>
public static class LocalProgramSource
{
    public const string Syntax = "(zoo:NAME | FILE.pt2)";

    /// <summary>The program, and the zoo model it came from (null for a file); null when the file could not be loaded.</summary>
    public static (ExportedProgram Program, ZooModel? Model)? Load(string source, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        if (source.StartsWith("zoo:", StringComparison.Ordinal))
        {
            ZooModel model;
            try
            {
                model = ModelZoo.Get(source["zoo:".Length..]);
            }
            catch (KeyNotFoundException e)
            {
                throw new UsageException(e.Message);
            }
            return (model.Export().Program, model);
        }
        if (source.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"'{source}' is an ONNX model: import it first, then name the archive: graphport import onnx {source} --out {Path.ChangeExtension(source, ".pt2")}.");
        if (!File.Exists(source))
            throw new UsageException($"No file '{source}'. Name a .pt2 archive written by ExportedProgram.Save, or zoo:NAME.");
        try
        {
            return (ExportedProgram.Load(source), null);
        }
        catch (Exception e) when (e is ExportException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"Cannot load {source}: {e.Message}");
            return null;
        }
    }
}
