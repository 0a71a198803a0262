using Graphport.Grains;
using Graphport.Silo;
using Graphport.Zoo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Graphport.Cluster.Tests;

[Collection(SharedClusterCollection.Name)]
public sealed class ClusterGrainTests(SharedClusterFixture fixture)
{
    private IClusterClient Client => fixture.Cluster.Client;

    [Fact]
    public async Task Zoo_model_exported_decomposed_and_invoked_on_the_cluster_equals_eager()
    {
        var exported = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(ExportRequest.Zoo("mlp", "e2e-mlp"));
        Assert.Equal(new ProgramRef("e2e-mlp", 1), exported.Program);
        Assert.Equal(ProgramVersionKind.Exported, exported.Info.Kind);
        Assert.Equal("x: float32[s0, 784]", Assert.Single(exported.Info.Inputs).ToString());

        var decomposed = await Client.GetGrain<IDecompositionGrain>(GrainKeys.Decomposition(exported.Program, "core")).DecomposeAsync();
        Assert.Equal(new ProgramRef("e2e-mlp", 2), decomposed.Program);
        Assert.Equal((1, "core"), (decomposed.Info.DerivedFrom, decomposed.Info.Table));

        var inputs = ModelZoo.Get("mlp").ExampleInputs(3).Cast<Tensor>().ToArray();
        var result = await Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(decomposed.Program)).InvokeAsync(inputs.Select(TensorData.FromTensor).ToArray());
        var output = Assert.Single(result.Outputs).ToTensor();
        var expected = await EagerReference.RunAsync(fixture.Cluster, exported.Program, "mlp", inputs);
        Assert.Equal([3L, 10L], output.Shape.Select(s => (long)s));
        Assert.True(EagerReference.MaxDifference(output, expected) < 1e-4, $"max difference {EagerReference.MaxDifference(output, expected)}");
    }

    [Fact]
    public async Task An_executor_compiles_and_warms_up_once_when_it_activates()
    {
        var exported = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(TestModules.TinyExport("warmed"));
        var executor = Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program));

        await executor.InvokeAsync([TensorData.FromTensor(Torch.Randn(3, 4))]);
        await executor.InvokeAsync([TensorData.FromTensor(Torch.Randn(5, 4))]);
        var status = await executor.GetStatusAsync();

        Assert.True(status.Ready, status.Error);
        Assert.Equal((CpuInterpreterBackend.BackendName, "cpu"), (status.Backend, status.Device));
        Assert.True(status.WarmupMs > 0);
        Assert.Equal(2, status.Invocations);
    }

    [Fact]
    public async Task The_silo_reports_healthy_when_it_is_active_and_its_blob_store_and_device_work()
    {
        var health = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal([BlobStoreHealthCheck.Name, DeviceHealthCheck.Name, MembershipHealthCheck.Name], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("device cpu", report.Entries[DeviceHealthCheck.Name].Description);
        Assert.Contains("active", report.Entries[MembershipHealthCheck.Name].Description);
    }
}
