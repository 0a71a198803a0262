using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Graphport.Kernels.Compilation;

namespace Graphport.Silo;

/// <summary>
/// Compiled CUBINs in the cluster's Azure Blob storage (container "graphport-kernels", one blob per cache key), so
/// a GPU silo that restarts, or a new one of the same architecture, loads what another compiled instead of running
/// NVRTC again. Each blob carries the SHA-256 of its bytes in its metadata; one that no longer matches (a torn or
/// damaged upload) reads as absent and is compiled and written again. Synchronous, as NVRTC compiles are: the
/// SDK's blocking calls, never a wait on a task.
/// </summary>
public sealed class AzureBlobKernelStore(BlobServiceClient service, string containerName = AzureBlobKernelStore.DefaultContainer) : IKernelBlobStore
{
    public const string DefaultContainer = "graphport-kernels";

    private const string HashMetadata = "sha256";

    private readonly BlobContainerClient container = service.GetBlobContainerClient(containerName);
    private volatile bool containerReady;

    public bool TryGet(string key, out byte[] blob)
    {
        blob = [];
        var client = Blob(key);
        BlobDownloadResult download;
        try
        {
            download = client.DownloadContent().Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
        byte[] bytes = download.Content.ToArray();
        if (!download.Details.Metadata.TryGetValue(HashMetadata, out var hash) || hash != Hash(bytes)) return false;
        blob = bytes;
        return true;
    }

    public void Put(string key, byte[] blob)
    {
        EnsureContainer();
        // Overwrites: the same key always names the same compile, so a second writer stores the same bytes, and a
        // damaged blob is replaced.
        Blob(key).Upload(BinaryData.FromBytes(blob), new BlobUploadOptions { Metadata = new Dictionary<string, string> { [HashMetadata] = Hash(blob) } });
    }

    private BlobClient Blob(string key)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new ArgumentException($"Kernel cache keys are letters, digits, '-', '_' and '.'; got \"{key}\".", nameof(key));
        return container.GetBlobClient(key);
    }

    private void EnsureContainer()
    {
        if (containerReady) return;
        container.CreateIfNotExists();
        containerReady = true;
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
