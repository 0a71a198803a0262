using Graphport.Kernels.Interop.Driver;

namespace Graphport.Kernels.Runtime;

/// <summary>A non-blocking stream: work on it is ordered, and it never syncs implicitly with the legacy stream.</summary>
public sealed class CudaStream : IDisposable
{
    private readonly Handle owner;

    internal CudaStream(CudaContextHandle context)
    {
        owner = new Handle(context);
        CudaException.Check(NativeMethods.cuStreamCreate(out var stream, DriverFlags.StreamNonBlocking), "cuStreamCreate");
        owner.Set(stream);
    }

    internal nint Raw => owner.DangerousGetHandle();

    public void Synchronize() => CudaException.Check(NativeMethods.cuStreamSynchronize(Raw), "cuStreamSynchronize");

    public void Wait(CudaEvent cudaEvent) => CudaException.Check(NativeMethods.cuStreamWaitEvent(Raw, cudaEvent.Raw, 0), "cuStreamWaitEvent");

    public void CopyToDevice(ulong destination, nint source, long bytes) =>
        CudaException.Check(NativeMethods.cuMemcpyHtoDAsync(destination, source, (nuint)bytes, Raw), "cuMemcpyHtoDAsync_v2");

    public void CopyToHost(nint destination, ulong source, long bytes) =>
        CudaException.Check(NativeMethods.cuMemcpyDtoHAsync(destination, source, (nuint)bytes, Raw), "cuMemcpyDtoHAsync_v2");

    public void CopyOnDevice(ulong destination, ulong source, long bytes) =>
        CudaException.Check(NativeMethods.cuMemcpyDtoDAsync(destination, source, (nuint)bytes, Raw), "cuMemcpyDtoDAsync_v2");

    public void Fill32(ulong destination, uint value, long count) =>
        CudaException.Check(NativeMethods.cuMemsetD32Async(destination, value, (nuint)count, Raw), "cuMemsetD32Async");

    /// <summary>Starts recording this stream's work into a graph instead of running it (thread-local mode).</summary>
    public void BeginCapture() => CudaException.Check(NativeMethods.cuStreamBeginCapture(Raw, CUstreamCaptureMode.ThreadLocal), "cuStreamBeginCapture_v2");

    /// <summary>Ends a capture and returns what was recorded.</summary>
    internal CudaGraph EndCapture(CudaContextHandle context)
    {
        CudaException.Check(NativeMethods.cuStreamEndCapture(Raw, out var graph), "cuStreamEndCapture");
        return new CudaGraph(context, graph);
    }

    public void Dispose() => owner.Dispose();

    private sealed class Handle(CudaContextHandle context) : ContextBoundHandle(context)
    {
        public void Set(nint stream) => Adopt(stream);

        protected override CUresult Free(nint value) => NativeMethods.cuStreamDestroy(value);
    }
}
