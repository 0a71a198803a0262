namespace Graphport.Kernels.Compilation;

/// <summary>
/// Blobs as files in a folder (default: $GRAPHPORT_KERNEL_CACHE, else ~/.cache/graphport/kernels). Writes go to
/// a temporary file that is then renamed, so a reader never sees half a CUBIN.
/// </summary>
public sealed class LocalFolderBlobStore : IKernelBlobStore
{
    public LocalFolderBlobStore(string? root = null)
    {
        Root = root ?? DefaultRoot();
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public static string DefaultRoot() =>
        Environment.GetEnvironmentVariable("GRAPHPORT_KERNEL_CACHE") is { Length: > 0 } configured ? configured
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? home : Path.GetTempPath(), ".cache", "graphport", "kernels");

    public bool TryGet(string key, out byte[] blob)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            blob = [];
            return false;
        }
        blob = File.ReadAllBytes(path);
        return true;
    }

    public void Put(string key, byte[] blob)
    {
        var path = PathOf(key);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, blob);
        File.Move(temp, path, overwrite: true);
    }

    private string PathOf(string key)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new ArgumentException($"Kernel cache keys are letters, digits, '-', '_' and '.'; got \"{key}\".", nameof(key));
        return Path.Combine(Root, key);
    }
}
