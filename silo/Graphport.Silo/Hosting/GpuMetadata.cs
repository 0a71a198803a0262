using System.Globalization;
using Graphport.Grains;
using Graphport.Kernels.Runtime;

namespace Graphport.Silo;

/// <summary>
/// A GPU silo's metadata with its device's name and memory, from the CUDA driver when the configuration leaves them
/// out: deploy/k8s's GPU pods cannot name their GPU, since the node they land on decides which one they get. Asked
/// without creating a context, so the silo takes no device memory before its first GPU program. Where no driver
/// answers, the metadata stays as configured ("GPU", memory unknown) and the CUDA backend says why at first use.
/// </summary>
public static class GpuMetadata
{
    public static Dictionary<string, string> Complete(IReadOnlyDictionary<string, string> metadata) => Complete(metadata, DescribeDevice0);

    /// <param name="describe">The device's name and bytes of memory, or null without one (tests stand in for the driver).</param>
    internal static Dictionary<string, string> Complete(IReadOnlyDictionary<string, string> metadata, Func<(string Name, long Memory)?> describe)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var result = new Dictionary<string, string>(metadata, StringComparer.Ordinal);
        bool gpu = GraphportSiloBuilderExtensions.DeviceFromMetadata(result).IsGpu;
        if (!gpu || (result.ContainsKey(SiloMetadataKeys.Device) && result.ContainsKey(SiloMetadataKeys.GpuMemory))) return result;
        if (describe() is not { } device) return result;
        result.TryAdd(SiloMetadataKeys.Device, device.Name);
        result.TryAdd(SiloMetadataKeys.GpuMemory, device.Memory.ToString(CultureInfo.InvariantCulture));
        return result;
    }

    // Kubernetes gives each GPU pod its GPU as device 0.
    private static (string, long)? DescribeDevice0() =>
        CudaDevice.TryDescribe(0, out var name, out long memory, out _) ? (name, memory) : null;
}
