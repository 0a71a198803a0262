using System.Net;
using Graphport.Grains;
using Graphport.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Graphport.Cluster.Tests.Kubernetes;

/// <summary>
/// The HTTP endpoints Kubernetes probes (GraphportSiloOptions.HttpPort): /healthz/ready while the silo is active
/// and its blob store works, /healthz/live until the GPU is lost; 503 with the reason otherwise. Without a health
/// port no HTTP port is opened.
/// </summary>
public sealed class HealthEndpointTests : IDisposable
{
    private readonly TempDirectory data = new("graphport-health");
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => data.Dispose();

    private GraphportSiloOptions Options(int healthPort) => new()
    {
        ClusterId = $"health-{Guid.NewGuid():N}"[..16],
        DataDirectory = data.Path,
        SiloPort = Azure.AzuriteFixture.FreePort(),
        GatewayPort = Azure.AzuriteFixture.FreePort(),
        HttpPort = healthPort,
        LogLevel = LogLevel.Warning,
    };

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(int port, string path)
    {
        using var response = await Http.GetAsync($"http://127.0.0.1:{port}{path}");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_running_silo_is_live_and_ready_and_says_why_per_check()
    {
        int port = Azure.AzuriteFixture.FreePort();
        using var host = GraphportSiloHost.Build(Options(port));
        await host.StartAsync();

        var (readyStatus, ready) = await GetAsync(port, HealthEndpoints.ReadyPath);
        var (liveStatus, live) = await GetAsync(port, HealthEndpoints.LivePath);

        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.StartsWith("Healthy\n", ready, StringComparison.Ordinal);
        Assert.Contains("blob-store: Healthy - blob store ok", ready, StringComparison.Ordinal);
        Assert.Contains("membership: Healthy - silo", ready, StringComparison.Ordinal);
        Assert.DoesNotContain("device:", ready, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("Healthy\ndevice: Healthy - device cpu\n", live);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(port, "/")).Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_lost_gpu_fails_liveness_with_the_reason_so_the_pod_restarts_but_the_silo_stays_ready()
    {
        int port = Azure.AzuriteFixture.FreePort();
        var options = Options(port);
        options.Metadata[SiloMetadataKeys.Gpu] = "true";
        options.Metadata[SiloMetadataKeys.Device] = "Test GPU";
        var lost = new LostGpuBackend();
        using var host = GraphportSiloHost.Build(options, silo => silo.Services.Insert(0, ServiceDescriptor.Singleton<IExecutionBackend>(lost)));
        await host.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(port, HealthEndpoints.LivePath)).Status);

        lost.Lose("CUDA_ERROR_ILLEGAL_ADDRESS in cuStreamSynchronize");
        var (liveStatus, live) = await GetAsync(port, HealthEndpoints.LivePath);
        var (readyStatus, _) = await GetAsync(port, HealthEndpoints.ReadyPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, liveStatus);
        Assert.StartsWith("Unhealthy\ndevice: Unhealthy - the lost-gpu backend lost cuda:0", live, StringComparison.Ordinal);
        Assert.Contains("CUDA_ERROR_ILLEGAL_ADDRESS in cuStreamSynchronize", live, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        await host.StopAsync();
    }

    [Fact]
    public async Task Metrics_of_the_programs_a_silo_serves_and_of_orleans_are_scraped_from_the_same_port()
    {
        int port = Azure.AzuriteFixture.FreePort();
        using var host = GraphportSiloHost.Build(Options(port), silo => silo.Services.AddTestModules());
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var exported = await grains.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(TestModules.TinyExport("scraped"));
        var executor = grains.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program));
        for (int i = 0; i < 3; i++) await executor.InvokeAsync([TensorData.FromTensor(Torch.Randn(2 + i, 4))]);

        var (status, text) = await GetAsync(port, MetricsEndpoint.Path);

        Assert.Equal(HttpStatusCode.OK, status);
        string program = exported.Program.ToString();
        var requests = Assert.Single(text.Split('\n'), l => l.StartsWith("graphport_serving_requests_total{", StringComparison.Ordinal) && l.Contains($"\"{program}\"", StringComparison.Ordinal));
        // "name{labels} value [timestamp]"
        Assert.Equal("3", requests[(requests.LastIndexOf('}') + 2)..].Split(' ')[0]);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("graphport_serving_compute_duration", StringComparison.Ordinal) && l.Contains(program, StringComparison.Ordinal));
        Assert.Contains(text.Split('\n'), l => l.StartsWith("orleans_", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task Without_an_http_port_the_silo_opens_none()
    {
        using var host = GraphportSiloHost.Build(Options(0));
        await host.StartAsync();
        Assert.Null(host.Services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>());
        await host.StopAsync();
    }

    /// <summary>A GPU backend with no GPU behind it: it supports nothing, and says it lost its device once told to.</summary>
    private sealed class LostGpuBackend : IExecutionBackend
    {
        private volatile string? lost;

        public string Name => "lost-gpu";

        public string? Lost => lost;

        public void Lose(string reason) => lost = reason;

        public bool Supports(ExecutionDevice device) => false;

        public ICompiledProgram Compile(ExportedProgram program, ExecutionDevice device) =>
            throw new InvalidOperationException("This stand-in backend compiles nothing.");
    }
}
