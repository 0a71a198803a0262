using Graphport.Silo;

namespace Graphport.Cluster.Tests.Kubernetes;

/// <summary>What GraphportSiloOptions refuses about Kubernetes hosting and HTTP ports, and the fix each message names.</summary>
public sealed class SiloOptionsKubernetesTests
{
    private static GraphportSiloOptions InPod(Action<GraphportSiloOptions>? change = null)
    {
        var options = new GraphportSiloOptions
        {
            Kubernetes = true,
            Clustering = ClusteringMode.AzureTable,
            Storage = StorageMode.AzureBlob,
            AzureConnectionString = "UseDevelopmentStorage=true",
            HttpPort = 8080,
        };
        change?.Invoke(options);
        return options;
    }

    private static string Refusal(GraphportSiloOptions options) => Assert.Throws<ArgumentException>(options.Validate).Message;

    [Fact]
    public void A_pod_silo_on_azure_table_membership_with_a_health_port_is_valid_and_may_name_a_kubectl_proxy()
    {
        InPod().Validate();
        InPod(o => o.KubernetesApiUrl = "http://127.0.0.1:8001").Validate();
    }

    [Fact]
    public void Kubernetes_hosting_on_localhost_membership_is_refused_naming_the_settings_to_change()
    {
        string message = Refusal(InPod(o => o.Clustering = ClusteringMode.Localhost));
        Assert.Contains("needs AzureTable clustering", message, StringComparison.Ordinal);
        Assert.Contains("Graphport__Clustering=AzureTable", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixed_silo_name_in_a_pod_is_refused_because_pods_are_matched_to_silos_by_name()
    {
        string message = Refusal(InPod(o => o.SiloName = "silo-1"));
        Assert.Contains("named after its pod (POD_NAME)", message, StringComparison.Ordinal);
        Assert.Contains("leave SiloName out", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:8001")]
    [InlineData("ftp://127.0.0.1:8001")]
    [InlineData("not a url")]
    public void A_kubernetes_api_that_is_not_an_http_url_is_refused(string url)
    {
        string message = Refusal(InPod(o => o.KubernetesApiUrl = url));
        Assert.Contains($"KubernetesApiUrl '{url}' is not an http(s) URL", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kubernetes_api_without_kubernetes_hosting_is_refused_rather_than_ignored()
    {
        string message = Refusal(InPod(o => (o.Kubernetes, o.KubernetesApiUrl) = (false, "http://127.0.0.1:8001")));
        Assert.Contains("only used with Kubernetes hosting", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(11111)]
    [InlineData(30000)]
    public void A_health_port_shared_with_the_silo_or_gateway_port_is_refused(int port)
    {
        string message = Refusal(InPod(o => o.HttpPort = port));
        Assert.Contains($"HttpPort {port} is also the silo or gateway port", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void A_health_port_out_of_range_is_refused(int port)
    {
        Assert.Contains("HttpPort must be 0-65535", Refusal(InPod(o => o.HttpPort = port)), StringComparison.Ordinal);
    }
}
