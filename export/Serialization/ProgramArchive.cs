namespace Graphport.Serialization;

/// <summary>
/// Saving to and loading from .pt2 files (torch.export.save / torch.export.load). Saving writes a temporary file
/// next to the target and moves it into place, so a failed save never leaves a half-written archive behind.
/// </summary>
internal static class ProgramArchive
{
    public static void Save(ExportedProgram program, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string root = Path.GetFileNameWithoutExtension(full);
        if (root.Length == 0) root = "archive";
        string temporary = full + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
                ProgramWriter.Write(program, stream, root);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static ExportedProgram Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(stream, path);
    }

    /// <summary>Reads a program from any seekable stream; <paramref name="displayName"/> names it in errors.</summary>
    public static ExportedProgram Load(Stream stream, string displayName)
    {
        using var archive = new ArchiveReader(stream, displayName);
        try
        {
            return ProgramReader.Read(archive);
        }
        catch (Exception e) when (e is not (InvalidDataException or ExportException or IOException or UnauthorizedAccessException or OutOfMemoryException))
        {
            // Anything else means the archive is inconsistent in a way no check above names; say so, never crash obscurely.
            throw new InvalidDataException($"{displayName} could not be loaded: the archive is inconsistent ({e.GetType().Name}: {e.Message}).", e);
        }
    }
}
