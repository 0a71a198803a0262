using System.Runtime.InteropServices;
using Graphport.Kernels.Interop;
using Graphport.Kernels.Interop.Driver;

namespace Graphport.Kernels.Runtime;

/// <summary>A CUDA driver call failed; the message names the call and the driver's name for the error.</summary>
public class CudaException : Exception
{
    public CudaException(CUresult result, string call, string? detail = null)
        : base($"{call} failed: {Describe(result)}{(detail is null ? "" : $" ({detail})")}")
    {
        Result = result;
        Call = call;
    }

    protected CudaException(CUresult result, string call, string message, Exception? inner) : base(message, inner)
    {
        Result = result;
        Call = call;
    }

    public CUresult Result { get; }

    public string Call { get; }

    /// <summary>
    /// Whether the error is one the driver keeps: a kernel faulted (illegal or misaligned address, illegal
    /// instruction, device-side assert, hardware stack error, invalid PC, launch failure) or ran past the watchdog,
    /// so every later CUDA call of this process fails the same way; the driver's documentation says only a new
    /// process recovers. Out of memory and bad arguments are not: the context stays usable.
    /// </summary>
    public bool ContextLost => IsContextLost(Result);

    /// <summary>The CudaException that lost the context, however deep <paramref name="e"/> wraps it, or null.</summary>
    public static CudaException? FindContextLoss(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is CudaException { ContextLost: true } lost) return lost;
        return null;
    }

    /// <summary>The CUresult codes that poison the process's CUDA state (cuda.h: 700, 702, 710, 714-719).</summary>
    public static bool IsContextLost(CUresult result) => (int)result is 700 or 702 or 710 or (>= 714 and <= 719);

    /// <summary>"CUDA_ERROR_OUT_OF_MEMORY: out of memory", from the driver when it is loaded, else from the enum.</summary>
    public static string Describe(CUresult result)
    {
        if (CudaLibraryResolver.TryLoad(CudaLibrary.Driver, out _, out _))
        {
            try
            {
                if (NativeMethods.cuGetErrorName(result, out var name) == CUresult.Success && name != 0
                    && NativeMethods.cuGetErrorString(result, out var text) == CUresult.Success && text != 0)
                    return $"{Marshal.PtrToStringUTF8(name)}: {Marshal.PtrToStringUTF8(text)}";
            }
            catch (EntryPointNotFoundException)
            {
                // An unusable libcuda (a stub) cannot describe its own errors; fall back to the enum name.
            }
        }
        return $"{result} ({(int)result})";
    }

    internal static void Check(CUresult result, string call)
    {
        if (result == CUresult.Success) return;
        if (result == CUresult.OutOfMemory) throw new CudaOutOfMemoryException(call, null);
        throw new CudaException(result, call);
    }
}

/// <summary>The device ran out of memory; the backend frees what it took before this reaches a caller.</summary>
public sealed class CudaOutOfMemoryException(string call, string? detail, Exception? inner = null)
    : CudaException(CUresult.OutOfMemory, call, $"{call} failed: the CUDA device is out of memory{(detail is null ? "" : $": {detail}")}", inner);
