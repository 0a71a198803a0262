using Graphport.Client;
using Graphport.Grains;
using Graphport.Silo;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Graphport.Cluster.Tests.Azure;

/// <summary>
/// The cluster option: Azure Table clustering and Azure Blob storage (grain state and blobs), against Azurite.
/// Every silo is stopped and new ones started: programs come back from storage and give the same results.
/// </summary>
public sealed class AzureStorageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(2);

    private static GraphportSiloOptions SiloOptions(string connection, string clusterId, string name) => new()
    {
        ClusterId = clusterId,
        SiloName = name,
        Clustering = ClusteringMode.AzureTable,
        Storage = StorageMode.AzureBlob,
        AzureConnectionString = connection,
        SiloPort = AzuriteFixture.FreePort(),
        GatewayPort = AzuriteFixture.FreePort(),
        LogLevel = LogLevel.Warning,
    };

    private static async Task<IHost> StartSiloAsync(GraphportSiloOptions options)
    {
        var host = GraphportSiloHost.Build(options);
        await host.StartAsync().WaitAsync(Step);
        return host;
    }

    private static Task<GraphportClient> ConnectAsync(string connection, string clusterId) =>
        GraphportClient.ConnectAsync(new GraphportClientOptions { AzureConnectionString = connection, ClusterId = clusterId, ConnectTimeout = TimeSpan.FromSeconds(60) });

    private static async Task StopAsync(IHost host)
    {
        await host.StopAsync().WaitAsync(Step);
        host.Dispose();
    }

    [Fact]
    public async Task Programs_exported_on_azure_storage_are_served_again_after_every_silo_stopped()
    {
        string connection = azurite.ConnectionString;
        string clusterId = $"azure-{Guid.NewGuid():N}"[..18];
        var input = Torch.Randn(2, 784);

        var first = await StartSiloAsync(SiloOptions(connection, clusterId, "azure-1"));
        ProgramRef decomposed;
        float[] before;
        await using (var client = await ConnectAsync(connection, clusterId))
        {
            Assert.False(client.IsEmbedded);
            var exported = await client.ExportAsync("zoo:mlp", "azure-mlp").WaitAsync(Step);
            decomposed = (await client.DecomposeAsync(exported.Program).WaitAsync(Step)).Program;
            before = (await client.InvokeAsync(decomposed, [input]).WaitAsync(Step))[0].ToArray<float>();
        }
        await StopAsync(first);

        var second = await StartSiloAsync(SiloOptions(connection, clusterId, "azure-2"));
        try
        {
            await using var client = await ConnectAsync(connection, clusterId);
            var programs = await client.ListProgramsAsync().WaitAsync(Step);
            var after = (await client.InvokeAsync(decomposed, [input]).WaitAsync(Step))[0].ToArray<float>();

            Assert.Equal([ProgramVersionKind.Exported, ProgramVersionKind.Decomposed], Assert.Single(programs, p => p.Name == "azure-mlp").Versions.Select(v => v.Kind));
            Assert.Equal(before, after);
        }
        finally
        {
            await StopAsync(second);
        }
    }

    [Fact]
    public async Task Blobs_in_azure_are_content_addressed_and_checked_on_read()
    {
        var store = new AzureBlobContentStore(new global::Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString), $"blobs-{Guid.NewGuid():N}"[..20]);

        string id = await store.PutAsync("weights"u8.ToArray()).WaitAsync(Step);
        string again = await store.PutAsync("weights"u8.ToArray()).WaitAsync(Step);
        var missing = await Assert.ThrowsAsync<GraphportException>(() => store.GetAsync(ContentId.Of([7])));

        Assert.Equal(ContentId.Of("weights"u8), id);
        Assert.Equal(id, again);
        Assert.Equal("weights"u8.ToArray(), await store.GetAsync(id).WaitAsync(Step));
        Assert.Equal(GraphportErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task Connecting_to_a_cluster_with_no_silo_fails_with_a_clear_error_in_time()
    {
        string connection = azurite.ConnectionString;

        var e = await Assert.ThrowsAsync<GraphportException>(() => GraphportClient.ConnectAsync(new GraphportClientOptions
        {
            AzureConnectionString = connection,
            ClusterId = "nobody-home",
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })).WaitAsync(Step);

        Assert.Equal(GraphportErrorKind.Unavailable, e.Kind);
        Assert.Contains("Could not connect to cluster 'nobody-home'", e.Message);
    }
}
