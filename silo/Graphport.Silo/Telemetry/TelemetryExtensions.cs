using System.Collections;
using Graphport.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Graphport.Silo;

/// <summary>
/// Exports Graphport's and Orleans' spans, and the serving metrics, over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; without it nothing is
/// registered and tracing costs nothing. The exporter reads OTEL_EXPORTER_OTLP_* (endpoint, protocol, headers)
/// from the host's configuration, so those variables are copied there: Graphport's hosts do not load the whole
/// environment into configuration.
/// </summary>
public static class TelemetryExtensions
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <param name="environment">The variables to read; the process environment when null (tests pass their own).</param>
    public static IHostApplicationBuilder AddGraphportOpenTelemetry(this IHostApplicationBuilder builder, string serviceName, string? instanceId = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        environment ??= Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        if (string.IsNullOrWhiteSpace(environment.GetValueOrDefault(EndpointVariable))) return builder;
        builder.Configuration.AddInMemoryCollection(environment.Where(e => e.Key.StartsWith("OTEL_", StringComparison.Ordinal)));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: instanceId))
            .WithTracing(t => t.AddSource([.. GraphportTelemetry.AllSources]).AddOtlpExporter())
            .WithMetrics(m => m.AddMeter(ServingMetrics.MeterName).AddOtlpExporter());
        return builder;
    }
}
