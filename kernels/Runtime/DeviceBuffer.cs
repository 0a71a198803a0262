using Graphport.Kernels.Interop.Driver;

namespace Graphport.Kernels.Runtime;

/// <summary>Device memory from cuMemAlloc, freed when disposed. <see cref="Pointer"/> is the CUdeviceptr.</summary>
public sealed class DeviceBuffer : IDisposable
{
    private readonly Handle owner;

    internal DeviceBuffer(CudaContextHandle context, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        owner = new Handle(context);
        var result = NativeMethods.cuMemAlloc(out var pointer, (nuint)Math.Max(bytes, 1));
        if (result == CUresult.OutOfMemory) throw new CudaOutOfMemoryException("cuMemAlloc_v2", $"{Format(bytes)} requested");
        CudaException.Check(result, "cuMemAlloc_v2");
        owner.Set(pointer);
        Bytes = bytes;
        Pointer = pointer;
    }

    public ulong Pointer { get; }

    public long Bytes { get; }

    public void Dispose() => owner.Dispose();

    internal static string Format(long bytes) => bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):F2} GiB" : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):F1} MiB" : $"{bytes} bytes";

    private sealed class Handle(CudaContextHandle context) : ContextBoundHandle(context)
    {
        public void Set(ulong pointer) => Adopt((nint)pointer);

        protected override CUresult Free(nint value) => NativeMethods.cuMemFree((ulong)value);
    }
}
