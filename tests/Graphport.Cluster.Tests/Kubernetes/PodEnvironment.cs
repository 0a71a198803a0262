namespace Graphport.Cluster.Tests.Kubernetes;

/// <summary>
/// The variables a pod's manifest gives a silo through the downward API (POD_NAME, POD_NAMESPACE, POD_IP), set on
/// this process until disposed. Orleans' Kubernetes hosting reads them from the environment when the silo starts,
/// so a test keeps them until StartAsync returns; no other test's silo runs Kubernetes hosting, so none reads them.
/// </summary>
public sealed class PodEnvironment : IDisposable
{
    private static readonly string[] Names = ["POD_NAME", "POD_NAMESPACE", "POD_IP"];
    private readonly Dictionary<string, string?> previous;

    public PodEnvironment(string podName, string podNamespace, string podIp)
    {
        previous = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        Environment.SetEnvironmentVariable("POD_NAME", podName);
        Environment.SetEnvironmentVariable("POD_NAMESPACE", podNamespace);
        Environment.SetEnvironmentVariable("POD_IP", podIp);
    }

    public void Dispose()
    {
        foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
    }
}
