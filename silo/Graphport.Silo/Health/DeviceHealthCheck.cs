using Graphport.Grains;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Graphport.Silo;

/// <summary>
/// Liveness: unhealthy once an execution backend has lost its device. A kernel fault loses the CUDA context for the
/// whole process; the silo still serves on its CPU, but only a new process gets the GPU back, which a liveness probe
/// on this check (Kubernetes restarting the container) arranges.
/// </summary>
public sealed class DeviceHealthCheck(ExecutionDevice device, IEnumerable<IExecutionBackend> backends) : IHealthCheck
{
    public const string Name = "device";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (backends.FirstOrDefault(b => b.Lost is not null) is { } lost)
            return Task.FromResult(HealthCheckResult.Unhealthy($"the {lost.Name} backend lost {device}: {lost.Lost}; programs run on the CPU until this silo restarts"));
        return Task.FromResult(HealthCheckResult.Healthy($"device {device}"));
    }
}
