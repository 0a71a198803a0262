namespace Graphport.Grains;

/// <summary>
/// Blobs as files under a folder (root/sha256/ab/abcdef...). Writes go to a temporary file that is flushed to disk
/// and renamed into place, so a crash never leaves a partial blob under a real id.
/// </summary>
public sealed class LocalFolderContentStore(string root) : IContentStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        string id = ContentId.Of(content.Span);
        string path = PathOf(id);
        if (File.Exists(path)) return id;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await stream.WriteAsync(content, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            // Another writer may have stored the same content meanwhile; identical bytes, so either file wins.
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        return id;
    }

    public async Task<byte[]> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        string path = PathOf(id);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new GraphportException(GraphportErrorKind.NotFound, $"Blob {id} is not in the store at {Root}.");
        }
        if (ContentId.Of(bytes) != id)
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"Blob {id} at {path} is damaged: its bytes no longer hash to its id.");
        return bytes;
    }

    public Task<bool> ExistsAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(PathOf(id)));

    private string PathOf(string id)
    {
        string digest = ContentId.Digest(id);
        return Path.Combine(Root, "sha256", digest[..2], digest);
    }
}
