using Graphport.Client;
using Graphport.Grains;

namespace Graphport.Cluster.Tests.Azure;

/// <summary>
/// Two silo processes on Azure Table clustering (Azurite); the one running a zoo batch is killed mid-batch.
/// The survivor takes the batch over: it completes, and every model is stored exactly once.
/// </summary>
public sealed class SiloKillTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly string[] Models = ["mlp", "mlp50", "bert_encoder", "mobilenet_v2"];

    [Fact]
    public async Task A_zoo_batch_completes_after_its_silo_process_is_killed_and_stores_every_model_once()
    {
        string connection = azurite.ConnectionString;
        string clusterId = $"kill-{Guid.NewGuid():N}"[..16];
        using var first = SiloProcess.Start(connection, clusterId, "kill-a");
        using var second = SiloProcess.Start(connection, clusterId, "kill-b");
        SiloProcess[] silos = [first, second];
        await using var client = await GraphportClient.ConnectAsync(new GraphportClientOptions
        {
            AzureConnectionString = connection,
            ClusterId = clusterId,
            ConnectTimeout = TimeSpan.FromSeconds(90),
            ResponseTimeout = TimeSpan.FromSeconds(30),
        });
        var management = client.Cluster.GetGrain<IManagementGrain>(0);
        await Until(async () => (await management.GetHosts(onlyActive: true)).Count == 2, TimeSpan.FromSeconds(90), () => "both silos to join\n" + first.Output + second.Output);

        string batchId = GrainKeys.NewZooBatch();
        var started = await client.Cluster.GetGrain<IZooExportGrain>(batchId).StartAsync(new ZooExportRequest(Models, MaxParallel: 1));
        var victim = Assert.Single(silos, s => s.Hosts(started.Silo));
        await Until(async () => (await Progress(client, batchId))?.Models.Any(m => m.State != ZooModelState.Pending) == true, TimeSpan.FromSeconds(60), () => "the batch to start");
        victim.Kill();

        ZooProgress? final = null;
        await Until(async () => (final = await Progress(client, batchId))?.IsFinished == true, TimeSpan.FromMinutes(4),
            () => "the batch to finish on the surviving silo: " + string.Join(", ", final?.Models.Select(m => $"{m.Model}={m.State}") ?? []));

        Assert.True(final!.AllPassed, string.Join("\n", final.Models.Select(m => $"{m.Model}: {m.State} {m.Error}")));
        Assert.False(victim.Hosts(final.Silo));
        Assert.True(final.Resumes >= 1);
        foreach (string model in Models)
        {
            var info = await client.Cluster.GetGrain<IProgramGrain>(model).GetInfoAsync();
            Assert.Equal([ProgramVersionKind.Exported, ProgramVersionKind.Decomposed], info.Versions.Select(v => v.Kind));
        }
    }

    /// <summary>The batch's progress, or null while the cluster is still noticing the dead silo.</summary>
    private static async Task<ZooProgress?> Progress(GraphportClient client, string batchId)
    {
        try
        {
            return await client.Cluster.GetGrain<IZooExportGrain>(batchId).GetProgressAsync();
        }
        catch (Exception e) when (e is not GraphportException)
        {
            return null;
        }
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {timeout.TotalSeconds} s waiting for {what()}");
            await Task.Delay(250);
        }
    }
}
