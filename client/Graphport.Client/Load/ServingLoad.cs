using System.Diagnostics;
using Graphport.Grains;
using Graphport.Zoo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Graphport.Client;

/// <summary>
/// Starts an embedded silo with the given batching, exports a zoo model, warms its executor, then lets
/// <c>callers</c> concurrent tasks each send <c>perCaller</c> batch-1 requests, and checks every answer's shape.
/// </summary>
public static class ServingLoad
{
    public static async Task<ServingResult> RunAsync(string label, string model, BatchingOptions batching, int callers, int perCaller)
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

            var before = await client.Cluster.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program)).GetStatusAsync();
            var latencies = new double[callers * perCaller];
            var total = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
            {
                for (int k = 0; k < perCaller; k++)
                {
                    var watch = Stopwatch.StartNew();
                    var result = await client.InvokeDetailedAsync(exported.Program, input);
                    latencies[caller * perCaller + k] = watch.Elapsed.TotalMilliseconds;
                    long rows = result.Outputs[0].Shape[0];
                    if (rows != 1) throw new InvalidOperationException($"A batch-1 request got {rows} rows back.");
                }
            }));
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

    private static double Percentile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(position), hi = (int)Math.Ceiling(position);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
    }
}
