using System.Diagnostics;
using Graphport.Grains;
using Graphport.Zoo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Graphport.Client;

/// <summary>
/// Starts an embedded silo with the given batching, exports a zoo model, warms its executor with the same concurrent
/// load (<c>warmupPerCaller</c> requests from each caller, not timed), then lets <c>callers</c> concurrent tasks each
/// send <c>perCaller</c> batch-1 requests, and checks every answer's shape.
/// </summary>
public static class ServingLoad
{
    /// <summary>Untimed requests per caller before the timed ones, by default: enough for the serving path's methods to
    /// be compiled optimized and the batcher's queues to fill. With three serial calls only, 32 callers × 30 requests
    /// reported batching on at a p99 of 31 ms that 600 requests each put at 5.</summary>
    public const int DefaultWarmupPerCaller = 20;

    public static async Task<ServingResult> RunAsync(string label, string model, BatchingOptions batching, int callers, int perCaller,
        int warmupPerCaller = DefaultWarmupPerCaller)
    {
        string data = Path.Combine(Path.GetTempPath(), "graphport-serving-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var client = await GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions
            {
                DataDirectory = data,
                ConfigureSilo = silo => silo.Services.Replace(ServiceDescriptor.Singleton(batching)),
            });
            var zoo = ModelZoo.Get(model);
            var exported = await client.ExportAsync("zoo:" + model);
            var input = zoo.ExampleInputs(1).OfType<Tensor>().ToArray();
            for (int i = 0; i < 3; i++) await client.InvokeAsync(exported.Program, input);
            await LoadAsync(client, exported.Program, input, callers, warmupPerCaller, latencies: null);

            var before = await client.Cluster.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program)).GetStatusAsync();
            var latencies = new double[callers * perCaller];
            var total = Stopwatch.StartNew();
            await LoadAsync(client, exported.Program, input, callers, perCaller, latencies);
            double seconds = total.Elapsed.TotalSeconds;
            var status = await client.Cluster.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program)).GetStatusAsync();
            double requestsPerRun = (status.Invocations - before.Invocations) / (double)Math.Max(1, status.BackendRuns - before.BackendRuns);
            Array.Sort(latencies);
            return new ServingResult(label, latencies.Length, seconds, Percentile(latencies, 0.5), Percentile(latencies, 0.99), requestsPerRun);
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    // callers concurrent tasks, each sending perCaller requests one after another; each latency into its slot, if asked.
    private static Task LoadAsync(GraphportClient client, ProgramRef program, Tensor[] input, int callers, int perCaller, double[]? latencies) =>
        Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
        {
            for (int k = 0; k < perCaller; k++)
            {
                var watch = Stopwatch.StartNew();
                var result = await client.InvokeDetailedAsync(program, input);
                if (latencies is not null) latencies[caller * perCaller + k] = watch.Elapsed.TotalMilliseconds;
                long rows = result.Outputs[0].Shape[0];
                if (rows != 1) throw new InvalidOperationException($"A batch-1 request got {rows} rows back.");
            }
        }));

    private static double Percentile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(position), hi = (int)Math.Ceiling(position);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
    }
}
