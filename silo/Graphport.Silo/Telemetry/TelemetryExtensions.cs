using Graphport.Grains;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Graphport.Silo;

/// <summary>
/// Exports Graphport's and Orleans' spans over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads
/// that and the other standard OTEL_* variables itself); without it nothing is registered and tracing costs nothing.
/// </summary>
public static class TelemetryExtensions
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddGraphportOpenTelemetry(this IServiceCollection services, string serviceName, string? instanceId = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (string.IsNullOrWhiteSpace((environment ?? Environment.GetEnvironmentVariable)(EndpointVariable))) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: instanceId))
            .WithTracing(t => t.AddSource([.. GraphportTelemetry.AllSources]).AddOtlpExporter());
        return services;
    }
}
