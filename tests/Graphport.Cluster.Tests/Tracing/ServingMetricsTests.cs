using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Graphport.Grains;

namespace Graphport.Cluster.Tests;

[Collection(SharedClusterCollection.Name)]
public sealed class ServingMetricsTests(SharedClusterFixture fixture)
{
    private IClusterClient Client => fixture.Cluster.Client;

    [Fact]
    public async Task Each_invocation_is_counted_per_program_with_its_durations_and_failures_by_kind()
    {
        var exported = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(TestModules.TinyExport("metered"));
        string program = exported.Program.ToString();
        var seen = new ConcurrentQueue<(string Instrument, double Value, string? Error)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServingMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? programTag = null, error = null;
            foreach (var tag in tags)
            {
                if (tag.Key == ServingMetrics.ProgramTag) programTag = tag.Value as string;
                if (tag.Key == "graphport.error") error = tag.Value as string;
            }
            if (programTag == program) seen.Enqueue((instrument.Name, value, error));
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        var executor = Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program));
        await executor.InvokeAsync([TensorData.FromTensor(Torch.Randn(3, 4))]);
        await executor.InvokeAsync([TensorData.FromTensor(Torch.Randn(6, 4))]);
        var error = await Assert.ThrowsAsync<GraphportException>(() => executor.InvokeAsync([TensorData.FromTensor(Torch.Randn(3, 5))]));

        var measured = seen.ToArray();
        Assert.Equal(3, measured.Count(m => m.Instrument == "graphport.serving.requests"));
        var failure = Assert.Single(measured, m => m.Instrument == "graphport.serving.failures");
        Assert.Equal(error.Kind.ToString(), failure.Error);
        Assert.Equal(GraphportErrorKind.InvalidInput, error.Kind);
        var compute = measured.Where(m => m.Instrument == "graphport.serving.compute.duration").ToArray();
        Assert.Equal(2, compute.Length);
        Assert.All(compute, m => Assert.True(m.Value > 0));
        Assert.Equal([1.0, 1.0], measured.Where(m => m.Instrument == "graphport.serving.batch.size").Select(m => m.Value));
    }
}
