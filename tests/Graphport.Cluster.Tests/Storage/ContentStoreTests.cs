using Graphport.Grains;

namespace Graphport.Cluster.Tests.Storage;

public sealed class ContentStoreTests : IDisposable
{
    private readonly TempDirectory folder = new("graphport-blobs");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Blobs_are_addressed_by_the_sha256_of_their_bytes_and_stored_once()
    {
        var store = new LocalFolderContentStore(folder.Path);

        string first = await store.PutAsync("weights"u8.ToArray());
        string second = await store.PutAsync("weights"u8.ToArray());

        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("weights"u8)), first);
        Assert.Equal(first, second);
        Assert.Single(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
        Assert.Equal("weights"u8.ToArray(), await store.GetAsync(first));
    }

    [Fact]
    public async Task A_damaged_blob_is_detected_on_read()
    {
        var store = new LocalFolderContentStore(folder.Path);
        string id = await store.PutAsync(new byte[] { 1, 2, 3 });
        File.WriteAllBytes(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories).Single(), [1, 2, 4]);

        var e = await Assert.ThrowsAsync<GraphportException>(() => store.GetAsync(id));

        Assert.Equal(GraphportErrorKind.StorageFailed, e.Kind);
        Assert.Contains("is damaged", e.Message);
    }

    [Fact]
    public async Task Missing_blobs_are_not_found_and_malformed_ids_never_become_paths()
    {
        var store = new LocalFolderContentStore(folder.Path);

        var missing = await Assert.ThrowsAsync<GraphportException>(() => store.GetAsync(ContentId.Of([9])));
        var malformed = await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync("sha256:../../etc/passwd"));

        Assert.Equal(GraphportErrorKind.NotFound, missing.Kind);
        Assert.Contains("is not a blob id", malformed.Message);
    }
}
