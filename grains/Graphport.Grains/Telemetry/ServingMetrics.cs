using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Graphport.Grains;

/// <summary>
/// Per-program serving metrics (OpenTelemetry instruments on the "Graphport.Serving" meter), tagged with
/// graphport.program = NAME@VERSION: requests, failures by error kind, queue and compute durations, batch sizes.
/// Hosts export them by adding <see cref="MeterName"/> to their metrics pipeline.
/// </summary>
public static class ServingMetrics
{
    public const string MeterName = "Graphport.Serving";
    public const string ProgramTag = "graphport.program";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("graphport.serving.requests", "{request}", "Invocations received by executor grains.");
    public static readonly Counter<long> Failures = Meter.CreateCounter<long>("graphport.serving.failures", "{request}", "Invocations that ended in an error, by error kind.");
    public static readonly Histogram<double> QueueDuration = Meter.CreateHistogram<double>("graphport.serving.queue.duration", "ms", "Time a request waited before its run started.");
    public static readonly Histogram<double> ComputeDuration = Meter.CreateHistogram<double>("graphport.serving.compute.duration", "ms", "Time the backend spent running the program.");
    public static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>("graphport.serving.batch.size", "{request}", "Requests served by one backend run (1 without dynamic batching).");

    public static TagList For(ProgramRef program) => new() { { ProgramTag, program.ToString() } };

    public static void Failed(ProgramRef program, GraphportErrorKind kind)
    {
        var tags = For(program);
        tags.Add("graphport.error", kind.ToString());
        Failures.Add(1, tags);
    }
}
