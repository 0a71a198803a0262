using System.Diagnostics;
using Graphport.Grains;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Graphport.Cluster.Tests.Tracing;

/// <summary>
/// One TracerProvider for the whole test process (activity sources are static, so a provider sees every in-process
/// silo and client); tests tell their spans apart by trace id, since test classes run in parallel.
/// </summary>
public static class TestTracing
{
    public static readonly ActivitySource Source = new("Graphport.Tests");

    private static readonly List<Activity> Spans = [];
    private static readonly TracerProvider Provider = Sdk.CreateTracerProviderBuilder()
        .AddSource([.. GraphportTelemetry.AllSources, Source.Name])
        .SetSampler(new AlwaysOnSampler())
        .AddInMemoryExporter(Spans)
        .Build()!;

    public static IReadOnlyList<Activity> SpansOf(ActivityTraceId trace)
    {
        Provider.ForceFlush();
        lock (Spans) return Spans.Where(s => s.TraceId == trace).ToList();
    }

    /// <summary>Starts a root span; the provider must exist before the first span, so this touches it first.</summary>
    public static Activity StartRoot(string name)
    {
        _ = Provider;
        return Source.StartActivity(name, ActivityKind.Internal) ?? throw new InvalidOperationException("The test tracer provider is not listening.");
    }
}
