using Graphport.Grains;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Graphport.Silo;

/// <summary>
/// Healthy when the blob store takes a write and reads it back and no execution backend has lost its device; a
/// host with HTTP maps it with MapHealthChecks. A lost GPU (a kernel fault, which the CUDA driver keeps for the whole
/// process) is unhealthy even though the silo still serves on its CPU: only a new process gets the GPU back, which
/// a liveness probe on this check (Kubernetes restarting the pod) arranges.
/// </summary>
public sealed class GraphportHealthCheck(IContentStore blobs, ExecutionDevice device, IEnumerable<IExecutionBackend> backends) : IHealthCheck
{
    private static readonly byte[] Probe = "graphport health probe"u8.ToArray();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (backends.FirstOrDefault(b => b.Lost is not null) is { } lost)
            return HealthCheckResult.Unhealthy($"the {lost.Name} backend lost {device}: {lost.Lost}; programs run on the CPU until this silo restarts");
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
