using Graphport.Grains;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Graphport.Silo;

/// <summary>Healthy when the blob store takes a write and reads it back; a host with HTTP maps it with MapHealthChecks.</summary>
public sealed class GraphportHealthCheck(IContentStore blobs, ExecutionDevice device) : IHealthCheck
{
    private static readonly byte[] Probe = "graphport health probe"u8.ToArray();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            string id = await blobs.PutAsync(Probe, cancellationToken);
            await blobs.GetAsync(id, cancellationToken);
            return HealthCheckResult.Healthy($"blob store ok; device {device}");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"blob store failed: {e.Message}", e);
        }
    }
}
