using System.Globalization;

namespace Graphport.Grains;

/// <summary>The device a silo executes programs on: "cpu", or "cuda" with an index, a name and memory (from silo metadata).</summary>
public sealed record ExecutionDevice(string Kind, int Index = 0, string Name = "CPU", long MemoryBytes = 0)
{
    public const string CpuKind = "cpu";
    public const string CudaKind = "cuda";

    public static ExecutionDevice Cpu { get; } = new(CpuKind);

    public bool IsGpu => Kind == CudaKind;

    /// <summary>torch's spelling: "cpu", "cuda:0".</summary>
    public override string ToString() => IsGpu ? $"{CudaKind}:{Index.ToString(CultureInfo.InvariantCulture)}" : CpuKind;
}
