using Graphport.Kernels.Interop.Driver;

namespace Graphport.Kernels.Runtime;

/// <summary>A captured CUDA graph: the recorded launches and copies of one shape bucket.</summary>
public sealed class CudaGraph : IDisposable
{
    private readonly Handle owner;
    private readonly CudaContextHandle context;

    internal CudaGraph(CudaContextHandle context, nint graph)
    {
        this.context = context;
        owner = new Handle(context);
        owner.Set(graph);
    }

    /// <summary>Instantiates the graph (and uploads it, so the first launch pays nothing extra).</summary>
    public CudaGraphExec Instantiate(CudaStream stream)
    {
        CudaException.Check(NativeMethods.cuGraphInstantiateWithFlags(out var exec, owner.DangerousGetHandle(), 0), "cuGraphInstantiateWithFlags");
        var result = new CudaGraphExec(context, exec);
        CudaException.Check(NativeMethods.cuGraphUpload(exec, stream.Raw), "cuGraphUpload");
        return result;
    }

    public void Dispose() => owner.Dispose();

    private sealed class Handle(CudaContextHandle context) : ContextBoundHandle(context)
    {
        public void Set(nint value) => Adopt(value);

        protected override CUresult Free(nint value) => NativeMethods.cuGraphDestroy(value);
    }
}

/// <summary>An instantiated graph, launched once per call of its bucket.</summary>
public sealed class CudaGraphExec : IDisposable
{
    private readonly Handle owner;

    internal CudaGraphExec(CudaContextHandle context, nint exec)
    {
        owner = new Handle(context);
        owner.Set(exec);
    }

    public void Launch(CudaStream stream) => CudaException.Check(NativeMethods.cuGraphLaunch(owner.DangerousGetHandle(), stream.Raw), "cuGraphLaunch");

    public void Dispose() => owner.Dispose();

    private sealed class Handle(CudaContextHandle context) : ContextBoundHandle(context)
    {
        public void Set(nint value) => Adopt(value);

        protected override CUresult Free(nint value) => NativeMethods.cuGraphExecDestroy(value);
    }
}
