using Graphport.Grains;
using Graphport.Silo;

namespace Graphport.Cluster.Tests.Placement;

/// <summary>
/// A GPU silo whose configuration does not name its GPU (deploy/k8s's GPU pods) announces the one the driver reports;
/// what the configuration names is kept, CPU silos ask nothing, and without a driver the metadata stays as it was.
/// </summary>
public sealed class GpuMetadataTests
{
    private static readonly Func<(string Name, long Memory)?> H100 = () => ("NVIDIA H100 80GB HBM3", 85_045_231_616);

    [Fact]
    public void A_gpu_silo_without_a_device_name_announces_the_drivers_device_and_its_memory()
    {
        var metadata = GpuMetadata.Complete(new Dictionary<string, string> { [SiloMetadataKeys.Gpu] = "true" }, H100);

        Assert.Equal("NVIDIA H100 80GB HBM3", metadata[SiloMetadataKeys.Device]);
        Assert.Equal("85045231616", metadata[SiloMetadataKeys.GpuMemory]);
        var device = GraphportSiloBuilderExtensions.DeviceFromMetadata(metadata);
        Assert.Equal(("cuda:0", "NVIDIA H100 80GB HBM3", 85_045_231_616L), (device.ToString(), device.Name, device.MemoryBytes));
    }

    [Fact]
    public void What_the_configuration_names_is_kept_and_cpu_silos_never_ask_the_driver()
    {
        var named = GpuMetadata.Complete(new Dictionary<string, string> { [SiloMetadataKeys.Gpu] = "true", [SiloMetadataKeys.Device] = "Test GPU" }, H100);
        Assert.Equal("Test GPU", named[SiloMetadataKeys.Device]);
        Assert.Equal("85045231616", named[SiloMetadataKeys.GpuMemory]);

        bool asked = false;
        var cpu = GpuMetadata.Complete(new Dictionary<string, string> { [SiloMetadataKeys.Gpu] = "false" }, () => { asked = true; return null; });
        Assert.False(asked);
        Assert.Equal(["gpu"], cpu.Keys);
    }

    [Fact]
    public void Without_a_driver_a_gpu_silo_keeps_its_metadata_and_stays_a_gpu_silo()
    {
        var configured = new Dictionary<string, string> { [SiloMetadataKeys.Gpu] = "true" };
        var metadata = GpuMetadata.Complete(configured, () => null);

        Assert.Equal(configured, metadata);
        Assert.True(GraphportSiloBuilderExtensions.DeviceFromMetadata(metadata).IsGpu);
        // The real driver query never throws: where it finds no device (CI), the metadata stays as configured; where
        // it finds one, that device is announced.
        var real = GpuMetadata.Complete(configured);
        if (Graphport.Kernels.Runtime.CudaDevice.TryDescribe(0, out var name, out _, out _)) Assert.Equal(name, real[SiloMetadataKeys.Device]);
        else Assert.Equal(configured, real);
    }
}
