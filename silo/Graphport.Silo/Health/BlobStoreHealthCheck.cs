using Graphport.Grains;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Graphport.Silo;

/// <summary>
/// Readiness: the blob store (weights, programs, compiled kernels) takes a write and reads it back. A silo that
/// cannot reach it cannot load a program, but restarting it would not bring the store back, so this is no liveness check.
/// </summary>
public sealed class BlobStoreHealthCheck(IContentStore blobs) : IHealthCheck
{
    public const string Name = "blob-store";

    private static readonly byte[] Probe = "graphport health probe"u8.ToArray();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            string id = await blobs.PutAsync(Probe, cancellationToken);
            await blobs.GetAsync(id, cancellationToken);
            return HealthCheckResult.Healthy("blob store ok");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"blob store failed: {e.Message}", e);
        }
    }
}
