using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Graphport.GpuBench.Summary;

/// <summary>
/// What one or more device runs sent back, latest first: each run's results.tgz (unpacked into a temporary
/// folder, since files_at is read-only) and the loose files beside it, or simply a folder `run` wrote. Files are
/// found by name anywhere below, in the latest run that has them; <see cref="Origins"/> says which files came
/// from an earlier run. A missing or unreadable file is noted, never fatal. Only runs on the latest run's GPU are
/// merged: an earlier run on another device (an H100 before an H200, say) is left out and said so in
/// <see cref="Problems"/>, since its timings are not comparable with this run's.
/// </summary>
public sealed class ResultsFolder : IDisposable
{
    // Per run, its roots: the unpacked archive first, then the folder itself.
    private readonly List<List<string>> runs = [];
    private readonly List<string> unpacked = [];
    private readonly string? latestDevice;

    public ResultsFolder(string folder)
        : this([folder])
    {
    }

    public ResultsFolder(IReadOnlyList<string> folders)
    {
        foreach (var folder in folders.Select(Path.GetFullPath))
        {
            var roots = new List<string>();
            var archives = Directory.EnumerateFiles(folder, "*.tgz").Concat(Directory.EnumerateFiles(folder, "*.tar.gz")).Order(StringComparer.Ordinal).ToList();
            if (archives.Count > 0)
            {
                var target = Directory.CreateTempSubdirectory("graphport-gpu-results-").FullName;
                unpacked.Add(target);
                foreach (var archive in archives)
                {
                    try
                    {
                        using var file = File.OpenRead(archive);
                        using var gzip = new GZipStream(file, CompressionMode.Decompress);
                        TarFile.ExtractToDirectory(gzip, target, overwriteFiles: true);
                    }
                    catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException)
                    {
                        Problems.Add($"{Path.GetFileName(archive)} could not be unpacked: {e.Message}");
                    }
                }
                roots.Add(target);
            }
            roots.Add(folder);
            string? device = DeviceName(roots);
            if (runs.Count > 0 && device is not null && latestDevice is not null && device != latestDevice)
            {
                Problems.Add($"`{Path.GetFileName(folder)}` ran on {device}, the latest run on {latestDevice}: not merged (timings of different devices are not comparable).");
                continue;
            }
            if (runs.Count == 0) latestDevice = device;
            runs.Add(roots);
            Folders.Add(folder);
        }
    }

    /// <summary>The GPU a run measured on: device.json's name, else torch_peer.json's device; null when neither says.</summary>
    private string? DeviceName(List<string> roots)
    {
        foreach (var (file, key) in new[] { ("device.json", "name"), ("torch_peer.json", "device") })
            if (FindIn(roots, file) is { } path && Parse(file, path).Get(key).Text() is { Length: > 0 } name) return name;
        return null;
    }

    public string Folder => Folders[0];

    /// <summary>The runs' folders, latest first.</summary>
    public List<string> Folders { get; } = [];

    public List<string> Missing { get; } = [];

    public List<string> Problems { get; } = [];

    /// <summary>File name → the index of the earlier run it was read from (files of the latest run are not listed).</summary>
    public SortedDictionary<string, int> Origins { get; } = new(StringComparer.Ordinal);

    /// <summary>The file called <paramref name="name"/> nearest the top of the latest run that has one, or null.</summary>
    public string? Find(string name)
    {
        for (int run = 0; run < runs.Count; run++)
        {
            if (FindIn(runs[run], name) is { } found)
            {
                if (run > 0) Origins[name] = run;
                return found;
            }
        }
        return null;
    }

    private static string? FindIn(List<string> roots, string name)
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
        return Parse(name, path);
    }

    /// <summary>The file from every run that has one, latest first (what the runs measured, to be merged).</summary>
    public List<(int Run, JsonNode Node)> ReadAll(string name)
    {
        var result = new List<(int, JsonNode)>();
        for (int run = 0; run < runs.Count; run++)
            if (FindIn(runs[run], name) is { } path && Parse(name, path) is { } node) result.Add((run, node));
        return result;
    }

    private JsonNode? Parse(string name, string path)
    {
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
        foreach (var folder in unpacked)
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        }
    }
}
