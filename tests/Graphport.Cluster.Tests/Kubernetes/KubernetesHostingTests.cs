using System.Net;
using Graphport.Client;
using Graphport.Cluster.Tests.Azure;
using Graphport.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Graphport.Cluster.Tests.Kubernetes;

/// <summary>
/// A silo started as deploy/k8s starts it (Graphport__Kubernetes=true, the pod's variables, Azure Table membership
/// on Azurite), against a stand-in Kubernetes API: it takes its pod's name and address, labels its pod with the
/// cluster it joined, lists the cluster's pods, and declares dead a silo whose pod is gone rather than waiting on it.
/// </summary>
public sealed class KubernetesHostingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const string Namespace = "graphport-test";
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(2);
    private readonly TempDirectory data = new("graphport-k8s");

    public void Dispose() => data.Dispose();

    private GraphportSiloOptions PodOptions(string clusterId, FakeKubernetesApi api) => new()
    {
        ClusterId = clusterId,
        Kubernetes = true,
        KubernetesApiUrl = api.Url,
        Clustering = ClusteringMode.AzureTable,
        Storage = StorageMode.LocalFolder,
        DataDirectory = data.Path,
        AzureConnectionString = azurite.ConnectionString,
        SiloPort = AzuriteFixture.FreePort(),
        GatewayPort = AzuriteFixture.FreePort(),
        HttpPort = AzuriteFixture.FreePort(),
        LogLevel = LogLevel.Warning,
    };

    private static async Task<IHost> StartInPodAsync(GraphportSiloOptions options, string podName)
    {
        var host = GraphportSiloHost.Build(options);
        using (new PodEnvironment(podName, Namespace, "127.0.0.1"))
            await host.StartAsync().WaitAsync(Step);
        return host;
    }

    [Fact]
    public async Task A_silo_in_a_pod_is_named_after_it_advertises_its_address_labels_it_with_its_cluster_and_lists_the_clusters_pods()
    {
        string clusterId = $"k8s-{Guid.NewGuid():N}"[..16];
        using var api = new FakeKubernetesApi(Namespace);
        const string pod = "graphport-silo-6d5f8-x7k2p";
        api.AddPod(pod, new Dictionary<string, string> { ["app.kubernetes.io/name"] = "graphport" });

        using var host = await StartInPodAsync(PodOptions(clusterId, api), pod);

        var local = host.Services.GetRequiredService<ILocalSiloDetails>();
        Assert.Equal(pod, local.Name);
        Assert.Equal(IPAddress.Loopback, local.SiloAddress.Endpoint.Address);
        Assert.Equal(clusterId, local.ClusterId);
        // The pod did not carry the orleans/* labels, so the silo patched them on, keeping the pod's own.
        var labels = api.Pod(pod)!.Metadata.Labels;
        Assert.Equal(clusterId, labels["orleans/clusterId"]);
        Assert.Equal("graphport", labels["orleans/serviceId"]);
        Assert.Equal("graphport", labels["app.kubernetes.io/name"]);
        Assert.Contains($"PATCH /api/v1/namespaces/{Namespace}/pods/{pod}", api.Requests);
        string selector = Uri.EscapeDataString($"orleans/serviceId=graphport,orleans/clusterId={clusterId}");
        Assert.Contains(api.Requests, r => r.StartsWith($"GET /api/v1/namespaces/{Namespace}/pods?", StringComparison.Ordinal)
            && r.Contains(selector, StringComparison.OrdinalIgnoreCase));
        await host.StopAsync().WaitAsync(Step);
    }

    [Fact]
    public async Task A_silo_starting_in_a_pod_declares_dead_a_silo_whose_pod_is_gone_instead_of_waiting_for_it()
    {
        string connection = azurite.ConnectionString;
        string clusterId = $"k8s-{Guid.NewGuid():N}"[..16];
        const string gonePod = "graphport-silo-old-9q8w7";
        // A silo whose node dropped off the network, its pod deleted with it: the membership table still says
        // Active, and its port still takes connections that nothing answers (the process is frozen).
        using var old = SiloProcess.Start(connection, clusterId, gonePod);
        await using (var client = await GraphportClient.ConnectAsync(new GraphportClientOptions { AzureConnectionString = connection, ClusterId = clusterId, ConnectTimeout = TimeSpan.FromSeconds(90) }))
        {
            var management = client.Cluster.GetGrain<IManagementGrain>(0);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while ((await management.GetHosts(onlyActive: true)).Count < 1)
            {
                Assert.True(DateTime.UtcNow < deadline, "the old silo to become active\n" + old.Output);
                await Task.Delay(250);
            }
        }
        old.Freeze();

        using var api = new FakeKubernetesApi(Namespace);
        const string pod = "graphport-silo-new-5t6y7";
        api.AddPod(pod, new Dictionary<string, string> { ["orleans/serviceId"] = "graphport", ["orleans/clusterId"] = clusterId });
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var host = await StartInPodAsync(PodOptions(clusterId, api), pod);

        // The listing has no pod for the old silo, so the new one marked it dead while starting: no waiting for
        // missed probes, and the new silo joined at once.
        // (Without the agent it waits for the frozen silo's missed probes: nearly two minutes here.)
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(45), $"the silo took {started.Elapsed.TotalSeconds:0} s to start");
        var members = host.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values;
        var gone = Assert.Single(members, m => m.Name == gonePod);
        Assert.Equal(SiloStatus.Dead, gone.Status);
        Assert.Contains(members, m => m.Name == pod && m.Status == SiloStatus.Active);
        // It did not relabel a pod that already carried its cluster.
        Assert.DoesNotContain(api.Requests, r => r.StartsWith("PATCH", StringComparison.Ordinal));
        await host.StopAsync().WaitAsync(Step);
    }

    [Fact]
    public void A_pod_silo_missing_its_pod_variables_exits_with_one_line_that_names_the_variable()
    {
        // Inside a real pod Orleans reads the namespace from the service account instead, and nothing is missing.
        if (File.Exists("/var/run/secrets/kubernetes.io/serviceaccount/namespace")) return;
        using var silo = SiloProcess.Start(new Dictionary<string, string>
        {
            ["Graphport:Kubernetes"] = "true",
            ["Graphport:Clustering"] = "AzureTable",
            ["Graphport:Storage"] = "LocalFolder",
            ["Graphport:DataDirectory"] = data.Path,
            ["Graphport:AzureConnectionString"] = azurite.ConnectionString,
            ["Graphport:SiloPort"] = $"{AzuriteFixture.FreePort()}",
            ["Graphport:GatewayPort"] = $"{AzuriteFixture.FreePort()}",
            ["Graphport:LogLevel"] = "Warning",
        }, siloPort: 0, new Dictionary<string, string?> { ["POD_NAMESPACE"] = null, ["POD_NAME"] = "graphport-silo-x", ["POD_IP"] = "127.0.0.1" });

        int? code = silo.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(code == 1, $"exit code {code?.ToString() ?? "none (still running)"}\n{silo.Output}");
        Assert.Contains("The silo stopped: OptionsValidationException: KubernetesHostingOptions.Namespace is not set. Set it via the POD_NAMESPACE environment variable", silo.Output, StringComparison.Ordinal);
    }
}
