using Graphport.Kernels.Interop.Driver;

namespace Graphport.Kernels.Runtime;

/// <summary>A CUDA event, the only clock the benchmarks trust for device time.</summary>
public sealed class CudaEvent : IDisposable
{
    private readonly Handle owner;

    internal CudaEvent(CudaContextHandle context, bool timing = true)
    {
        owner = new Handle(context);
        CudaException.Check(NativeMethods.cuEventCreate(out var raw, timing ? DriverFlags.EventDefault : DriverFlags.EventDisableTiming), "cuEventCreate");
        owner.Set(raw);
    }

    internal nint Raw => owner.DangerousGetHandle();

    public void Record(CudaStream stream) => CudaException.Check(NativeMethods.cuEventRecord(Raw, stream.Raw), "cuEventRecord");

    public void Synchronize() => CudaException.Check(NativeMethods.cuEventSynchronize(Raw), "cuEventSynchronize");

    /// <summary>Milliseconds between two recorded events (both must have completed).</summary>
    public static float Elapsed(CudaEvent start, CudaEvent end)
    {
        CudaException.Check(NativeMethods.cuEventElapsedTime(out var ms, start.Raw, end.Raw), "cuEventElapsedTime_v2");
        return ms;
    }

    public void Dispose() => owner.Dispose();

    private sealed class Handle(CudaContextHandle context) : ContextBoundHandle(context)
    {
        public void Set(nint value) => Adopt(value);

        protected override CUresult Free(nint value) => NativeMethods.cuEventDestroy(value);
    }
}
