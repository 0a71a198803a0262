using Graphport.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace Graphport.Cluster.Tests.Placement;

/// <summary>Executors go to GPU silos when the cluster has one, and to any silo when it has none.</summary>
public sealed class ExecutorPlacementTests : IDisposable
{
    private const int Executors = 10;
    private readonly TempDirectory data = new("graphport-placement");

    public void Dispose() => data.Dispose();

    private static Dictionary<string, string> GpuOnSecondSilo(int index) => index == 1
        ? new() { [SiloMetadataKeys.Gpu] = "true", [SiloMetadataKeys.Device] = "Test GPU", [SiloMetadataKeys.GpuMemory] = "1073741824" }
        : new() { [SiloMetadataKeys.Gpu] = "false" };

    /// <summary>Exports one program per executor, so each invoke activates a new executor grain.</summary>
    private static async Task<List<InvokeResult>> InvokeFreshExecutorsAsync(InProcessTestCluster cluster)
    {
        var results = new List<InvokeResult>();
        for (int i = 0; i < Executors; i++)
        {
            var exported = await cluster.Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(TestModules.TinyExport($"placed-{i}"));
            results.Add(await cluster.Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program)).InvokeAsync([TensorData.FromTensor(Torch.Randn(2, 4))]));
        }
        return results;
    }

    /// <summary>Placement reads the metadata cache, which fills as silos gossip; wait until every silo knows every other's gpu flag.</summary>
    private static async Task WaitForMetadataAsync(InProcessTestCluster cluster)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            bool known = cluster.Silos.All(s => cluster.Silos.All(other =>
                s.ServiceProvider.GetRequiredService<ISiloMetadataCache>().GetSiloMetadata(other.SiloAddress).Metadata.ContainsKey(SiloMetadataKeys.Gpu)));
            if (known) return;
            Assert.True(DateTime.UtcNow < deadline, "The silos did not learn each other's metadata within 30 s.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Every_executor_activates_on_the_gpu_silo()
    {
        // Calls enter through the CPU silo, so without the filter its placement would keep activations there.
        await using var cluster = await TestClusters.StartAsync(data.Path, silos: 2, metadata: GpuOnSecondSilo, gatewayOnFirstSiloOnly: true);
        await WaitForMetadataAsync(cluster);
        var gpuSilo = cluster.Silos.Single(s => TestClusters.SiloIndex(s.Name) == 1).SiloAddress.ToString();

        var results = await InvokeFreshExecutorsAsync(cluster);

        Assert.All(results, r => Assert.Equal(gpuSilo, r.Silo));
        await cluster.StopAllSilosAsync();
    }

    [Fact]
    public async Task A_gpu_silo_runs_on_cuda_when_a_device_opens_and_says_why_not_when_none_does()
    {
        await using var cluster = await TestClusters.StartAsync(data.Path, silos: 2, metadata: GpuOnSecondSilo, gatewayOnFirstSiloOnly: true);
        await WaitForMetadataAsync(cluster);
        var gpuSilo = cluster.Silos.Single(s => TestClusters.SiloIndex(s.Name) == 1);

        var results = await InvokeFreshExecutorsAsync(cluster);

        var cuda = gpuSilo.ServiceProvider.GetServices<IExecutionBackend>().OfType<CudaExecutionBackend>().Single();
        // The GPU silo's executors asked for cuda:0 (reading Status below would open the device by itself).
        Assert.Equal(ExecutionDevice.CudaKind, gpuSilo.ServiceProvider.GetRequiredService<ExecutionDevice>().Kind);
        Assert.True(cuda.OpenAttempted, "The GPU silo's executors never tried the CUDA backend.");
        if (Graphport.Kernels.Runtime.CudaDevice.IsAvailable(out _))
        {
            Assert.All(results, r => Assert.Equal((CudaExecutionBackend.BackendName, "cuda:0"), (r.Backend, r.Device)));
        }
        else
        {
            // No driver here: the CUDA backend says so and the GPU silo serves every request on its CPU.
            Assert.StartsWith("no CUDA device", cuda.Status, StringComparison.Ordinal);
            Assert.All(results, r => Assert.Equal((CpuInterpreterBackend.BackendName, "cpu", gpuSilo.SiloAddress.ToString()), (r.Backend, r.Device, r.Silo)));
        }
        await cluster.StopAllSilosAsync();
    }

    [Fact]
    public async Task Without_gpu_silos_executors_still_activate_on_the_cpu_silo()
    {
        await using var cluster = await TestClusters.StartAsync(data.Path, silos: 1, metadata: _ => new() { [SiloMetadataKeys.Gpu] = "false" });
        var cpuSilo = cluster.Silos.Single().SiloAddress.ToString();

        var results = await InvokeFreshExecutorsAsync(cluster);

        Assert.All(results, r =>
        {
            Assert.Equal(cpuSilo, r.Silo);
            Assert.Equal("cpu", r.Device);
            Assert.Equal(CpuInterpreterBackend.BackendName, r.Backend);
        });
        // A CPU silo never touches the CUDA driver.
        var cuda = cluster.Silos.Single().ServiceProvider.GetServices<IExecutionBackend>().OfType<CudaExecutionBackend>().Single();
        Assert.False(cuda.OpenAttempted);
        Assert.False(cuda.Supports(ExecutionDevice.Cpu));
        await cluster.StopAllSilosAsync();
    }
}
