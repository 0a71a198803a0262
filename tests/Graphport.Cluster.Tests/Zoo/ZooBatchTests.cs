using Graphport.Client;
using Graphport.Grains;

namespace Graphport.Cluster.Tests.Zoo;

public sealed class ZooBatchTests : IDisposable
{
    private readonly TempDirectory data = new("graphport-zoo");

    public void Dispose() => data.Dispose();

    private static async Task<ZooProgress> WaitAsync(IClusterClient client, string batchId, Func<ZooProgress, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ZooProgress progress;
            try
            {
                progress = await client.GetGrain<IZooExportGrain>(batchId).GetProgressAsync();
            }
            catch (Exception e) when (e is not GraphportException && DateTime.UtcNow < deadline)
            {
                // The batch's silo is going away; ask again.
                await Task.Delay(200);
                continue;
            }
            if (until(progress)) return progress;
            Assert.True(DateTime.UtcNow < deadline, $"The zoo batch did not get there within {timeout.TotalSeconds} s: {string.Join(", ", progress.Models.Select(m => $"{m.Model}={m.State}"))}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_batch_exports_decomposes_deploys_and_checks_every_selected_model()
    {
        await using var client = await GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions { DataDirectory = data.Path });
        var seen = new List<ZooProgress>();

        var final = await client.ExportZooAsync(ZooSelection.Of("mlp", "bert_encoder"), new Progress<ZooProgress>(p => { lock (seen) seen.Add(p); }));

        Assert.True(final.AllPassed, string.Join("\n", final.Models.Select(m => $"{m.Model}: {m.State} {m.Error}")));
        Assert.All(final.Models, m =>
        {
            Assert.Equal(new ProgramRef(m.Model, 1), m.Exported);
            Assert.Equal(new ProgramRef(m.Model, 2), m.Decomposed);
            Assert.True(m.Ops > 0);
            Assert.True(m.MaxError is >= 0 and < 1e-4, $"{m.Model}: {m.MaxError}");
        });
        Assert.NotNull(final.FinishedAt);
        lock (seen) Assert.Contains(seen, p => p.Completed < p.Total);
    }

    [Fact]
    public async Task A_batch_refuses_unknown_models_before_starting()
    {
        await using var client = await GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions { DataDirectory = data.Path });

        var e = await Assert.ThrowsAsync<GraphportException>(() => client.ExportZooAsync(ZooSelection.Of("mlp", "vgg16")));

        Assert.Equal(GraphportErrorKind.NotFound, e.Kind);
        Assert.Contains("'vgg16'", e.Message);
        Assert.Empty(await client.ListProgramsAsync());
    }

    [Fact]
    public async Task A_batch_resumes_its_unfinished_models_after_its_silo_stops()
    {
        await using var cluster = await TestClusters.StartAsync(data.Path, silos: 2);
        string batchId = GrainKeys.NewZooBatch();
        var batch = cluster.Client.GetGrain<IZooExportGrain>(batchId);
        var started = await batch.StartAsync(new ZooExportRequest(["mlp", "mlp50", "bert_encoder", "mobilenet_v2"], MaxParallel: 1));
        await WaitAsync(cluster.Client, batchId, p => p.Models.Any(m => m.State == ZooModelState.Running), TimeSpan.FromSeconds(60));

        var host = cluster.Silos.Single(s => s.SiloAddress.ToString() == started.Silo);
        await cluster.StopSiloAsync(host);
        var final = await WaitAsync(cluster.Client, batchId, p => p.IsFinished, TimeSpan.FromMinutes(3));

        Assert.True(final.AllPassed, string.Join("\n", final.Models.Select(m => $"{m.Model}: {m.State} {m.Error}")));
        Assert.True(final.Resumes >= 1);
        Assert.NotEqual(started.Silo, final.Silo);
        // Re-dispatched models reuse what their first worker stored: one exported and one decomposed version each.
        foreach (var model in final.Models)
        {
            var info = await cluster.Client.GetGrain<IProgramGrain>(model.Model).GetInfoAsync();
            Assert.Equal([ProgramVersionKind.Exported, ProgramVersionKind.Decomposed], info.Versions.Select(v => v.Kind));
        }
        await cluster.StopAllSilosAsync();
    }
}
