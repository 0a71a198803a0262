using System.Runtime.InteropServices;
using Graphport.Kernels.Interop.Driver;

namespace Graphport.Kernels.Runtime;

/// <summary>
/// A retained primary context: the one context per device that the CUDA runtime and cuBLASLt also use, so the
/// backend's memory and cuBLASLt's handles live in the same place. Releasing drops our reference only.
/// </summary>
internal sealed class CudaContextHandle : SafeHandle
{
    private readonly int device;

    private CudaContextHandle(nint context, int device) : base(0, ownsHandle: true)
    {
        this.device = device;
        SetHandle(context);
    }

    public override bool IsInvalid => handle == 0;

    public static CudaContextHandle RetainPrimary(int device)
    {
        CudaException.Check(NativeMethods.cuDevicePrimaryCtxRetain(out var context, device), "cuDevicePrimaryCtxRetain");
        return new CudaContextHandle(context, device);
    }

    /// <summary>Makes this context current on the calling thread (the driver's calls act on the current context).</summary>
    public void MakeCurrent() => CudaException.Check(NativeMethods.cuCtxSetCurrent(handle), "cuCtxSetCurrent");

    protected override bool ReleaseHandle() => NativeMethods.cuDevicePrimaryCtxRelease(device) == CUresult.Success;
}
