using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Graphport.Grains;
using Orleans.TestingHost;

namespace Graphport.Cluster.Tests;

/// <summary>Executors with dynamic batching on: concurrent requests share runs and each caller gets its own rows.</summary>
public sealed class DynamicBatchingTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("graphport-batching");
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync() =>
        cluster = await TestClusters.StartAsync(data.Path, batching: new BatchingOptions { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromMilliseconds(200) });

    public async Task DisposeAsync()
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task Concurrent_requests_of_different_batch_sizes_share_a_run_and_each_gets_exactly_its_own_rows()
    {
        var exported = await cluster.Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(TestModules.TinyExport("batched"));
        var executor = cluster.Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program));
        var random = new Random(11);
        var inputs = Enumerable.Range(0, 8).Select(_ => Torch.Randn(random.Next(1, 5), 4)).ToArray();
        // One at a time, each request waits out the delay and runs alone: the reference answers.
        var alone = new List<Tensor>();
        foreach (var input in inputs) alone.Add(Assert.Single((await executor.InvokeAsync([TensorData.FromTensor(input)])).Outputs).ToTensor());

        var batchSizes = new ConcurrentQueue<long>();
        using var listener = ListenToBatchSizes(exported.Program, batchSizes);
        var together = await Task.WhenAll(inputs.Select(input => executor.InvokeAsync([TensorData.FromTensor(input)])));

        for (int i = 0; i < inputs.Length; i++)
        {
            var output = Assert.Single(together[i].Outputs).ToTensor();
            Assert.Equal(alone[i].Shape.Select(s => (long)s), output.Shape.Select(s => (long)s));
            Assert.True(EagerReference.MaxDifference(output, alone[i]) < 1e-5, $"request {i}: max difference {EagerReference.MaxDifference(output, alone[i])}");
        }
        Assert.Contains(batchSizes, size => size > 1);
        Assert.Equal(inputs.Length, batchSizes.Sum());
    }

    [Fact]
    public async Task A_request_of_another_shape_is_never_batched_with_the_others_and_only_it_fails()
    {
        var exported = await cluster.Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(TestModules.TinyExport("batched-mixed"));
        var executor = cluster.Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program));
        var good = Enumerable.Range(0, 4).Select(i => Torch.Randn(i + 1, 4)).ToArray();
        var expected = new List<Tensor>();
        foreach (var input in good) expected.Add(Assert.Single((await executor.InvokeAsync([TensorData.FromTensor(input)])).Outputs).ToTensor());

        var calls = good.Select(input => executor.InvokeAsync([TensorData.FromTensor(input)])).ToList();
        var bad = executor.InvokeAsync([TensorData.FromTensor(Torch.Randn(2, 5))]);

        var error = await Assert.ThrowsAsync<GraphportException>(() => bad);
        Assert.Equal(GraphportErrorKind.InvalidInput, error.Kind);
        var results = await Task.WhenAll(calls);
        for (int i = 0; i < good.Length; i++)
            Assert.True(EagerReference.MaxDifference(Assert.Single(results[i].Outputs).ToTensor(), expected[i]) < 1e-5);
    }

    private static MeterListener ListenToBatchSizes(ProgramRef program, ConcurrentQueue<long> sizes)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ServingMetrics.MeterName && instrument.Name == "graphport.serving.batch.size") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == ServingMetrics.ProgramTag && tag.Value as string == program.ToString()) sizes.Enqueue(value);
        });
        listener.Start();
        return listener;
    }
}
