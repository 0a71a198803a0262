using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Graphport.Grains;

namespace Graphport.Silo;

/// <summary>
/// The content-addressed store in Azure Blob storage (or Azurite): one blob per id under "sha256/". Uploads
/// never overwrite (the content is the name), and reads check the hash like the local store does.
/// </summary>
public sealed class AzureBlobContentStore(BlobServiceClient service, string containerName = AzureBlobContentStore.DefaultContainer) : IContentStore
{
    public const string DefaultContainer = "graphport-blobs";

    private readonly BlobContainerClient container = service.GetBlobContainerClient(containerName);
    private volatile bool containerReady;

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        string id = ContentId.Of(content.Span);
        var blob = await BlobAsync(id, cancellationToken);
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already stored: same id, same bytes.
        }
        return id;
    }

    public async Task<byte[]> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var blob = await BlobAsync(id, cancellationToken);
        byte[] bytes;
        try
        {
            bytes = (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new GraphportException(GraphportErrorKind.NotFound, $"Blob {id} is not in container {container.Name}.");
        }
        if (ContentId.Of(bytes) != id)
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"Blob {id} in container {container.Name} is damaged: its bytes no longer hash to its id.");
        return bytes;
    }

    public async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken = default) =>
        (await (await BlobAsync(id, cancellationToken)).ExistsAsync(cancellationToken)).Value;

    private async Task<BlobClient> BlobAsync(string id, CancellationToken cancellationToken)
    {
        string digest = ContentId.Digest(id);
        if (!containerReady)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            containerReady = true;
        }
        return container.GetBlobClient($"sha256/{digest[..2]}/{digest}");
    }
}
