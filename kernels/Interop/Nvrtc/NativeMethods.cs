using System.Runtime.InteropServices;

namespace Graphport.Kernels.Interop.Nvrtc;

/// <summary>
/// NVRTC (libnvrtc.so.13 or .12): CUDA C++ source to CUBIN for a real architecture (sm_90), which any driver that
/// supports the device loads, unlike PTX from a newer compiler.
/// </summary>
internal static partial class NativeMethods
{
    private const string Lib = CudaLibraryNames.Nvrtc;

    [LibraryImport(Lib, EntryPoint = "nvrtcVersion")]
    internal static partial NvrtcResult nvrtcVersion(out int major, out int minor);

    [LibraryImport(Lib, EntryPoint = "nvrtcGetErrorString")]
    internal static partial nint nvrtcGetErrorString(NvrtcResult result);

    [LibraryImport(Lib, EntryPoint = "nvrtcGetNumSupportedArchs")]
    internal static partial NvrtcResult nvrtcGetNumSupportedArchs(out int count);

    [LibraryImport(Lib, EntryPoint = "nvrtcGetSupportedArchs")]
    internal static unsafe partial NvrtcResult nvrtcGetSupportedArchs(int* architectures);

    [LibraryImport(Lib, EntryPoint = "nvrtcCreateProgram", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial NvrtcResult nvrtcCreateProgram(out nint program, string source, string name, int headerCount, byte** headers, byte** includeNames);

    [LibraryImport(Lib, EntryPoint = "nvrtcDestroyProgram")]
    internal static partial NvrtcResult nvrtcDestroyProgram(ref nint program);

    [LibraryImport(Lib, EntryPoint = "nvrtcCompileProgram")]
    internal static unsafe partial NvrtcResult nvrtcCompileProgram(nint program, int optionCount, byte** options);

    [LibraryImport(Lib, EntryPoint = "nvrtcGetProgramLogSize")]
    internal static partial NvrtcResult nvrtcGetProgramLogSize(nint program, out nuint size);

    [LibraryImport(Lib, EntryPoint = "nvrtcGetProgramLog")]
    internal static unsafe partial NvrtcResult nvrtcGetProgramLog(nint program, byte* log);

    [LibraryImport(Lib, EntryPoint = "nvrtcGetCUBINSize")]
    internal static partial NvrtcResult nvrtcGetCUBINSize(nint program, out nuint size);

    [LibraryImport(Lib, EntryPoint = "nvrtcGetCUBIN")]
    internal static unsafe partial NvrtcResult nvrtcGetCUBIN(nint program, byte* cubin);

    [LibraryImport(Lib, EntryPoint = "nvrtcGetPTXSize")]
    internal static partial NvrtcResult nvrtcGetPTXSize(nint program, out nuint size);

    [LibraryImport(Lib, EntryPoint = "nvrtcGetPTX")]
    internal static unsafe partial NvrtcResult nvrtcGetPTX(nint program, byte* ptx);
}
