using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Graphport.GpuBench.Summary;

/// <summary>
/// What a device run sent back: results.tgz (unpacked into a temporary folder, since files_at is read-only) and
/// the loose files beside it, or simply a folder `run` wrote. Files are found by name anywhere below; a missing
/// or unreadable file is noted, never fatal.
/// </summary>
public sealed class ResultsFolder : IDisposable
{
    private readonly List<string> roots = [];
    private readonly string? unpacked;

    public ResultsFolder(string folder)
    {
        Folder = Path.GetFullPath(folder);
        var archives = Directory.EnumerateFiles(Folder, "*.tgz").Concat(Directory.EnumerateFiles(Folder, "*.tar.gz")).Order(StringComparer.Ordinal).ToList();
        if (archives.Count > 0)
        {
            unpacked = Directory.CreateTempSubdirectory("graphport-gpu-results-").FullName;
            foreach (var archive in archives)
            {
                try
                {
                    using var file = File.OpenRead(archive);
                    using var gzip = new GZipStream(file, CompressionMode.Decompress);
                    TarFile.ExtractToDirectory(gzip, unpacked, overwriteFiles: true);
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException)
                {
                    Problems.Add($"{Path.GetFileName(archive)} could not be unpacked: {e.Message}");
                }
            }
            roots.Add(unpacked);
        }
        roots.Add(Folder);
    }

    public string Folder { get; }

    public List<string> Missing { get; } = [];

    public List<string> Problems { get; } = [];

    /// <summary>The file called <paramref name="name"/> nearest the top of any root (the archive first), or null.</summary>
    public string? Find(string name)
    {
        foreach (var root in roots)
        {
            var found = Directory.EnumerateFiles(root, name, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4, IgnoreInaccessible = true })
                .OrderBy(p => p.Count(c => c == Path.DirectorySeparatorChar)).ThenBy(p => p, StringComparer.Ordinal).FirstOrDefault();
            if (found is not null) return found;
        }
        return null;
    }

    public JsonNode? Read(string name)
    {
        var path = Find(name);
        if (path is null)
        {
            Missing.Add(name);
            return null;
        }
        try
        {
            return Json.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or ArgumentException)
        {
            Problems.Add($"{name} could not be read: {e.Message}");
            return null;
        }
    }

    public string? ReadText(string name)
    {
        var path = Find(name);
        return path is null ? null : File.ReadAllText(path);
    }

    public void Dispose()
    {
        if (unpacked is null) return;
        try { Directory.Delete(unpacked, recursive: true); }
        catch (IOException) { }
    }
}
