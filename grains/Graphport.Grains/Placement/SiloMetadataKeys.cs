namespace Graphport.Grains;

/// <summary>The silo metadata keys Graphport reads (set as Orleans:Metadata:KEY in configuration).</summary>
public static class SiloMetadataKeys
{
    /// <summary>"true" on silos with a GPU; executors are placed on those when any exist.</summary>
    public const string Gpu = "gpu";

    /// <summary>The device's name, e.g. "NVIDIA H100 80GB HBM3".</summary>
    public const string Device = "device";

    /// <summary>Device memory in bytes.</summary>
    public const string GpuMemory = "gpu_memory";
}
