namespace Graphport.Grains;

/// <summary>
/// A content-addressed blob store for weights and other large artifacts: a blob's id is the SHA-256 of its bytes
/// ("sha256:hex"), so equal content is stored once and a damaged blob is detected on read.
/// </summary>
public interface IContentStore
{
    /// <summary>Stores the bytes (a no-op when present) and returns their id.</summary>
    Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Reads a blob; throws GraphportException NotFound when absent, StorageFailed when its bytes no longer match the id.</summary>
    Task<byte[]> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string id, CancellationToken cancellationToken = default);
}
