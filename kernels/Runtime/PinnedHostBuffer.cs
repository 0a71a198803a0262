using Graphport.Kernels.Interop.Driver;

namespace Graphport.Kernels.Runtime;

/// <summary>
/// Page-locked host memory (cuMemHostAlloc): the staging area for inputs and outputs. Copies from it can be
/// captured into a CUDA graph and run asynchronously, which copies from pageable managed arrays cannot.
/// </summary>
public sealed class PinnedHostBuffer : IDisposable
{
    private readonly Handle owner;

    internal PinnedHostBuffer(CudaContextHandle context, long bytes)
    {
        owner = new Handle(context);
        var result = NativeMethods.cuMemHostAlloc(out var pointer, (nuint)Math.Max(bytes, 1), DriverFlags.HostAllocPortable);
        if (result == CUresult.OutOfMemory) throw new CudaOutOfMemoryException("cuMemHostAlloc", $"{DeviceBuffer.Format(bytes)} of pinned host memory requested");
        CudaException.Check(result, "cuMemHostAlloc");
        owner.Set(pointer);
        Pointer = pointer;
        Bytes = bytes;
    }

    public nint Pointer { get; }

    public long Bytes { get; }

    public unsafe Span<byte> Span => new((void*)Pointer, checked((int)Bytes));

    public void Dispose() => owner.Dispose();

    private sealed class Handle(CudaContextHandle context) : ContextBoundHandle(context)
    {
        public void Set(nint pointer) => Adopt(pointer);

        protected override CUresult Free(nint value) => NativeMethods.cuMemFreeHost(value);
    }
}
