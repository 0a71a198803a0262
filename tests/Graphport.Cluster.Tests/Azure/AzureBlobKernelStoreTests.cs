using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Graphport.Grains;
using Graphport.Kernels.Compilation;
using Graphport.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Graphport.Cluster.Tests.Azure;

/// <summary>
/// Compiled kernels in the cluster's storage: a GPU silo on Azure storage keeps its CUBINs in Azure Blob storage
/// (Azurite here), where another silo, or the same one restarted, finds them; damaged ones read as absent. A silo on
/// local storage keeps them in its data folder.
/// </summary>
public sealed class AzureBlobKernelStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TempDirectory data = new("graphport-kernel-store");

    public void Dispose() => data.Dispose();

    private static byte[] RandomCubin(int seed)
    {
        var bytes = new byte[4096 + seed];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void A_kernel_one_silo_compiled_is_served_to_another_and_a_damaged_one_is_compiled_again()
    {
        string container = $"kernels-{Guid.NewGuid():N}"[..20];
        var first = new KernelCache(new AzureBlobKernelStore(new BlobServiceClient(azurite.ConnectionString), container));
        var second = new KernelCache(new AzureBlobKernelStore(new BlobServiceClient(azurite.ConnectionString), container));
        var cubin = RandomCubin(5);
        int compiles = 0;

        Assert.False(second.Store.TryGet(KernelCache.Key("src", "sm_90", "13.0", []), out _));
        Assert.Equal(cubin, first.GetOrCompile("src", "sm_90", "13.0", [], () => { compiles++; return cubin; }));
        Assert.Equal(cubin, second.GetOrCompile("src", "sm_90", "13.0", [], () => { compiles++; return []; }));
        Assert.Equal((1, 1), (compiles, second.Hits));
        // Another architecture is another kernel.
        Assert.Equal(cubin, second.GetOrCompile("src", "sm_100", "13.0", [], () => { compiles++; return cubin; }));
        Assert.Equal(2, compiles);

        // A blob whose bytes changed (torn upload, tampering) is not loaded onto a GPU: compiled again, and replaced.
        string key = KernelCache.Key("src", "sm_90", "13.0", []);
        new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container).GetBlobClient(key)
            .Upload(BinaryData.FromBytes(cubin.AsSpan(0, 1000).ToArray()), new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["sha256"] = "0" } });
        Assert.False(first.Store.TryGet(key, out _));
        Assert.Equal(cubin, first.GetOrCompile("src", "sm_90", "13.0", [], () => { compiles++; return cubin; }));
        Assert.Equal(3, compiles);
        Assert.True(second.Store.TryGet(key, out var repaired));
        Assert.Equal(cubin, repaired);
    }

    [Fact]
    public void A_silo_hands_its_cuda_backend_the_kernel_store_of_its_storage()
    {
        var azure = new GraphportSiloOptions
        {
            Clustering = ClusteringMode.AzureTable,
            Storage = StorageMode.AzureBlob,
            AzureConnectionString = azurite.ConnectionString,
            LogLevel = LogLevel.Warning,
        };
        var local = new GraphportSiloOptions { DataDirectory = data.Path, LogLevel = LogLevel.Warning };

        Assert.IsType<AzureBlobKernelStore>(CudaBackendOf(azure).KernelStore);
        var folder = Assert.IsType<LocalFolderBlobStore>(CudaBackendOf(local).KernelStore);
        Assert.Equal(Path.Combine(data.Path, "kernels"), folder.Root);
    }

    // The silo's CUDA backend as its executors get it; the host is built, not started (no device is opened).
    private static CudaExecutionBackend CudaBackendOf(GraphportSiloOptions options)
    {
        using var host = GraphportSiloHost.Build(options);
        return Assert.Single(host.Services.GetServices<IExecutionBackend>().OfType<CudaExecutionBackend>());
    }
}
