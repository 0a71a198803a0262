using System.Text;
using Graphport.Kernels.Interop.Driver;

namespace Graphport.Kernels.Runtime;

/// <summary>A loaded CUBIN and its kernels by name.</summary>
public sealed class CudaModule : IDisposable
{
    private readonly Handle owner;

    internal unsafe CudaModule(CudaContextHandle context, byte[] image)
    {
        owner = new Handle(context);
        const int logSize = 8192;
        var log = new byte[logSize];
        nint module;
        CUresult result;
        fixed (byte* imagePointer = image)
        fixed (byte* logPointer = log)
        {
            var options = stackalloc CUjitOption[] { CUjitOption.ErrorLogBuffer, CUjitOption.ErrorLogBufferSizeBytes };
            var values = stackalloc nint[] { (nint)logPointer, logSize };
            result = NativeMethods.cuModuleLoadDataEx(out module, imagePointer, 2, options, values);
        }
        if (result != CUresult.Success)
        {
            var text = Encoding.UTF8.GetString(log).TrimEnd('\0').Trim();
            throw new CudaException(result, "cuModuleLoadDataEx", text.Length == 0 ? "the loader gave no log" : text);
        }
        owner.Set(module);
    }

    /// <summary>A kernel of this module (extern "C" name).</summary>
    public CudaFunction GetFunction(string name)
    {
        CudaException.Check(NativeMethods.cuModuleGetFunction(out var function, owner.DangerousGetHandle(), name), $"cuModuleGetFunction(\"{name}\")");
        return new CudaFunction(function, name);
    }

    /// <summary>
    /// The device address and size of a global variable of this module (a <c>__device__</c> variable at namespace
    /// scope, whose name C++ does not mangle); false when the compiler left it out (no kernel uses it).
    /// </summary>
    public bool TryGetGlobal(string name, out ulong address, out long bytes)
    {
        var result = NativeMethods.cuModuleGetGlobal(out address, out var size, owner.DangerousGetHandle(), name);
        bytes = (long)size;
        if (result == CUresult.NotFound) return false;
        CudaException.Check(result, $"cuModuleGetGlobal_v2(\"{name}\")");
        return true;
    }

    public void Dispose() => owner.Dispose();

    private sealed class Handle(CudaContextHandle context) : ContextBoundHandle(context)
    {
        public void Set(nint value) => Adopt(value);

        protected override CUresult Free(nint value) => NativeMethods.cuModuleUnload(value);
    }
}

/// <summary>A kernel in a loaded module; valid while the module is.</summary>
public readonly record struct CudaFunction(nint Raw, string Name)
{
    public void SetMaxDynamicSharedMemory(int bytes) =>
        CudaException.Check(NativeMethods.cuFuncSetAttribute(Raw, CUfunctionAttribute.MaxDynamicSharedSizeBytes, bytes), "cuFuncSetAttribute");
}
