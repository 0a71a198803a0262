using System.Runtime.InteropServices;

namespace Graphport.Kernels.Interop.Driver;

/// <summary>
/// The CUDA driver API (libcuda.so.1), bound by explicit versioned symbols: cuda.h maps the plain names to these
/// with macros, and a binary that asked for the plain symbol would get the oldest ABI. Handles are raw here; the
/// classes in Graphport.Kernels.Runtime own them.
/// </summary>
internal static partial class NativeMethods
{
    private const string Lib = CudaLibraryNames.Driver;

    [LibraryImport(Lib, EntryPoint = "cuInit")]
    internal static partial CUresult cuInit(uint flags);

    [LibraryImport(Lib, EntryPoint = "cuDriverGetVersion")]
    internal static partial CUresult cuDriverGetVersion(out int version);

    [LibraryImport(Lib, EntryPoint = "cuGetErrorName")]
    internal static partial CUresult cuGetErrorName(CUresult error, out nint name);

    [LibraryImport(Lib, EntryPoint = "cuGetErrorString")]
    internal static partial CUresult cuGetErrorString(CUresult error, out nint text);

    [LibraryImport(Lib, EntryPoint = "cuDeviceGetCount")]
    internal static partial CUresult cuDeviceGetCount(out int count);

    [LibraryImport(Lib, EntryPoint = "cuDeviceGet")]
    internal static partial CUresult cuDeviceGet(out int device, int ordinal);

    [LibraryImport(Lib, EntryPoint = "cuDeviceGetName")]
    internal static unsafe partial CUresult cuDeviceGetName(byte* name, int length, int device);

    [LibraryImport(Lib, EntryPoint = "cuDeviceGetAttribute")]
    internal static partial CUresult cuDeviceGetAttribute(out int value, CUdeviceAttribute attribute, int device);

    [LibraryImport(Lib, EntryPoint = "cuDeviceTotalMem_v2")]
    internal static partial CUresult cuDeviceTotalMem(out nuint bytes, int device);

    [LibraryImport(Lib, EntryPoint = "cuDeviceCanAccessPeer")]
    internal static partial CUresult cuDeviceCanAccessPeer([MarshalAs(UnmanagedType.Bool)] out bool canAccessPeer, int device, int peerDevice);

    [LibraryImport(Lib, EntryPoint = "cuDevicePrimaryCtxRetain")]
    internal static partial CUresult cuDevicePrimaryCtxRetain(out nint context, int device);

    [LibraryImport(Lib, EntryPoint = "cuDevicePrimaryCtxRelease_v2")]
    internal static partial CUresult cuDevicePrimaryCtxRelease(int device);

    /// <summary>A private context (CUDA 12.5+ signature); the backend prefers the primary context, which cuBLASLt shares.</summary>
    [LibraryImport(Lib, EntryPoint = "cuCtxCreate_v4")]
    internal static partial CUresult cuCtxCreate(out nint context, nint createParams, uint flags, int device);

    [LibraryImport(Lib, EntryPoint = "cuCtxDestroy_v2")]
    internal static partial CUresult cuCtxDestroy(nint context);

    [LibraryImport(Lib, EntryPoint = "cuCtxSetCurrent")]
    internal static partial CUresult cuCtxSetCurrent(nint context);

    [LibraryImport(Lib, EntryPoint = "cuCtxSynchronize")]
    internal static partial CUresult cuCtxSynchronize();

    [LibraryImport(Lib, EntryPoint = "cuStreamCreate")]
    internal static partial CUresult cuStreamCreate(out nint stream, uint flags);

    [LibraryImport(Lib, EntryPoint = "cuStreamSynchronize")]
    internal static partial CUresult cuStreamSynchronize(nint stream);

    [LibraryImport(Lib, EntryPoint = "cuStreamDestroy_v2")]
    internal static partial CUresult cuStreamDestroy(nint stream);

    [LibraryImport(Lib, EntryPoint = "cuStreamWaitEvent")]
    internal static partial CUresult cuStreamWaitEvent(nint stream, nint cudaEvent, uint flags);

    [LibraryImport(Lib, EntryPoint = "cuMemAlloc_v2")]
    internal static partial CUresult cuMemAlloc(out ulong devicePointer, nuint bytes);

    [LibraryImport(Lib, EntryPoint = "cuMemFree_v2")]
    internal static partial CUresult cuMemFree(ulong devicePointer);

    [LibraryImport(Lib, EntryPoint = "cuMemAllocAsync")]
    internal static partial CUresult cuMemAllocAsync(out ulong devicePointer, nuint bytes, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuMemFreeAsync")]
    internal static partial CUresult cuMemFreeAsync(ulong devicePointer, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuMemGetInfo_v2")]
    internal static partial CUresult cuMemGetInfo(out nuint free, out nuint total);

    [LibraryImport(Lib, EntryPoint = "cuMemHostAlloc")]
    internal static partial CUresult cuMemHostAlloc(out nint host, nuint bytes, uint flags);

    [LibraryImport(Lib, EntryPoint = "cuMemFreeHost")]
    internal static partial CUresult cuMemFreeHost(nint host);

    [LibraryImport(Lib, EntryPoint = "cuMemHostRegister_v2")]
    internal static partial CUresult cuMemHostRegister(nint host, nuint bytes, uint flags);

    [LibraryImport(Lib, EntryPoint = "cuMemHostUnregister")]
    internal static partial CUresult cuMemHostUnregister(nint host);

    [LibraryImport(Lib, EntryPoint = "cuMemcpyHtoD_v2")]
    internal static partial CUresult cuMemcpyHtoD(ulong destination, nint source, nuint bytes);

    [LibraryImport(Lib, EntryPoint = "cuMemcpyDtoH_v2")]
    internal static partial CUresult cuMemcpyDtoH(nint destination, ulong source, nuint bytes);

    [LibraryImport(Lib, EntryPoint = "cuMemcpyHtoDAsync_v2")]
    internal static partial CUresult cuMemcpyHtoDAsync(ulong destination, nint source, nuint bytes, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuMemcpyDtoHAsync_v2")]
    internal static partial CUresult cuMemcpyDtoHAsync(nint destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuMemcpyDtoDAsync_v2")]
    internal static partial CUresult cuMemcpyDtoDAsync(ulong destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuMemsetD8Async")]
    internal static partial CUresult cuMemsetD8Async(ulong destination, byte value, nuint count, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuMemsetD32Async")]
    internal static partial CUresult cuMemsetD32Async(ulong destination, uint value, nuint count, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuModuleLoadDataEx")]
    internal static unsafe partial CUresult cuModuleLoadDataEx(out nint module, byte* image, uint optionCount, CUjitOption* options, nint* optionValues);

    [LibraryImport(Lib, EntryPoint = "cuModuleGetFunction", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CUresult cuModuleGetFunction(out nint function, nint module, string name);

    [LibraryImport(Lib, EntryPoint = "cuModuleGetGlobal_v2", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CUresult cuModuleGetGlobal(out ulong address, out nuint bytes, nint module, string name);

    [LibraryImport(Lib, EntryPoint = "cuModuleUnload")]
    internal static partial CUresult cuModuleUnload(nint module);

    [LibraryImport(Lib, EntryPoint = "cuFuncSetAttribute")]
    internal static partial CUresult cuFuncSetAttribute(nint function, CUfunctionAttribute attribute, int value);

    [LibraryImport(Lib, EntryPoint = "cuFuncGetAttribute")]
    internal static partial CUresult cuFuncGetAttribute(out int value, CUfunctionAttribute attribute, nint function);

    [LibraryImport(Lib, EntryPoint = "cuLaunchKernel")]
    internal static unsafe partial CUresult cuLaunchKernel(nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedMemoryBytes, nint stream, nint* kernelParameters, nint* extra);

    [LibraryImport(Lib, EntryPoint = "cuEventCreate")]
    internal static partial CUresult cuEventCreate(out nint cudaEvent, uint flags);

    [LibraryImport(Lib, EntryPoint = "cuEventRecord")]
    internal static partial CUresult cuEventRecord(nint cudaEvent, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuEventSynchronize")]
    internal static partial CUresult cuEventSynchronize(nint cudaEvent);

    [LibraryImport(Lib, EntryPoint = "cuEventElapsedTime_v2")]
    internal static partial CUresult cuEventElapsedTime(out float milliseconds, nint start, nint end);

    [LibraryImport(Lib, EntryPoint = "cuEventDestroy_v2")]
    internal static partial CUresult cuEventDestroy(nint cudaEvent);

    [LibraryImport(Lib, EntryPoint = "cuStreamBeginCapture_v2")]
    internal static partial CUresult cuStreamBeginCapture(nint stream, CUstreamCaptureMode mode);

    [LibraryImport(Lib, EntryPoint = "cuStreamEndCapture")]
    internal static partial CUresult cuStreamEndCapture(nint stream, out nint graph);

    [LibraryImport(Lib, EntryPoint = "cuGraphInstantiateWithFlags")]
    internal static partial CUresult cuGraphInstantiateWithFlags(out nint graphExec, nint graph, ulong flags);

    [LibraryImport(Lib, EntryPoint = "cuGraphUpload")]
    internal static partial CUresult cuGraphUpload(nint graphExec, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuGraphLaunch")]
    internal static partial CUresult cuGraphLaunch(nint graphExec, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuGraphExecDestroy")]
    internal static partial CUresult cuGraphExecDestroy(nint graphExec);

    [LibraryImport(Lib, EntryPoint = "cuGraphDestroy")]
    internal static partial CUresult cuGraphDestroy(nint graph);
}
