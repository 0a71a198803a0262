using System.Runtime.InteropServices;
using Graphport.Kernels.Interop.Driver;

namespace Graphport.Kernels.Runtime;

/// <summary>
/// A native resource that belongs to a context: it keeps the context alive (a SafeHandle reference) until it is
/// freed, and makes the context current before freeing, since the finalizer thread has no current context.
/// </summary>
internal abstract class ContextBoundHandle : SafeHandle
{
    private readonly CudaContextHandle context;
    private readonly bool holdsContext;

    protected ContextBoundHandle(CudaContextHandle context) : base(0, ownsHandle: true)
    {
        this.context = context;
        bool added = false;
        context.DangerousAddRef(ref added);
        holdsContext = added;
    }

    public override bool IsInvalid => handle == 0;

    protected void Adopt(nint value) => SetHandle(value);

    protected abstract CUresult Free(nint value);

    protected sealed override bool ReleaseHandle()
    {
        try
        {
            NativeMethods.cuCtxSetCurrent(context.DangerousGetHandle());
            return Free(handle) == CUresult.Success;
        }
        finally
        {
            if (holdsContext) context.DangerousRelease();
        }
    }
}
