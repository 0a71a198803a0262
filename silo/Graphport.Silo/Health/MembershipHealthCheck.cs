using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Graphport.Silo;

/// <summary>
/// Readiness: this silo is Active in the cluster's membership, so grains can be placed on it and its gateway
/// takes clients. Before joining, while shutting down, or after being declared dead it is not ready.
/// </summary>
public sealed class MembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails local) : IHealthCheck
{
    public const string Name = "membership";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {local.Name} is active in cluster {local.ClusterId}")
            : HealthCheckResult.Unhealthy($"silo {local.Name} is {status} in cluster {local.ClusterId}, not active"));
    }
}
