using Graphport.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Graphport.Silo;

/// <summary>
/// /metrics on <see cref="GraphportSiloOptions.HttpPort"/>, in Prometheus' text format: Graphport's serving metrics
/// (requests, failures, queue and compute durations, batch sizes, per program) and Orleans' own (activations,
/// messaging, membership). The pods of deploy/k8s carry the prometheus.io annotations that point a scraper here.
/// OTLP export (OTEL_EXPORTER_OTLP_ENDPOINT, <see cref="TelemetryExtensions"/>) works beside it.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Orleans' meter (silo, grain and messaging instruments).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <param name="instance">The silo (its name, or its pod's), as the service instance every series carries.</param>
    public static void AddTo(IServiceCollection services, string serviceName, string? instance)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: instance))
            .WithMetrics(metrics => metrics
            .AddMeter(ServingMetrics.MeterName, OrleansMeter)
            .AddPrometheusExporter(o => o.ScrapeEndpointPath = Path));
    }

    public static void Map(IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseOpenTelemetryPrometheusScrapingEndpoint();
    }
}
