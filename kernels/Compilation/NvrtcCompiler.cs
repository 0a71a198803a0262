using System.Runtime.InteropServices;
using System.Text;
using Graphport.Kernels.Interop;
using Graphport.Kernels.Interop.Nvrtc;
using NvrtcApi = Graphport.Kernels.Interop.Nvrtc.NativeMethods;

namespace Graphport.Kernels.Compilation;

/// <summary>
/// Compiles CUDA C++ to CUBIN for a real architecture (sm_90) with NVRTC, the embedded Graphport headers passed
/// in memory, results cached by <see cref="KernelCache"/>. A compile error raises
/// <see cref="NvrtcCompileException"/> with the log and the offending source lines.
/// </summary>
public sealed class NvrtcCompiler(KernelCache cache)
{
    public KernelCache Cache { get; } = cache;

    /// <summary>The options every module is compiled with (the architecture is added per device).</summary>
    public static IReadOnlyList<string> BaseOptions { get; } = ["--std=c++17", "-lineinfo"];

    public static IReadOnlyList<string> Options(string architecture) => [$"--gpu-architecture={architecture}", .. BaseOptions];

    /// <summary>NVRTC's version ("13.0"), loading the library if needed; throws when it cannot be loaded.</summary>
    public static string Version()
    {
        CudaLibraryResolver.EnsureRegistered();
        if (!CudaLibraryResolver.TryLoad(CudaLibrary.Nvrtc, out _, out var message)) throw new DllNotFoundException($"NVRTC is not available: {message}");
        Check(NvrtcApi.nvrtcVersion(out var major, out var minor), "nvrtcVersion");
        return $"{major}.{minor}";
    }

    public byte[] Compile(string source, string name, string architecture, IReadOnlyList<(string IncludeName, string Source)> headers)
    {
        var version = Version();
        var options = Options(architecture);
        return Cache.GetOrCompile(source + string.Concat(headers.Select(h => h.Source)), architecture, version, options,
            () => CompileUncached(source, name, architecture, headers, options));
    }

    private static unsafe byte[] CompileUncached(string source, string name, string architecture, IReadOnlyList<(string IncludeName, string Source)> headers, IReadOnlyList<string> options)
    {
        var pinned = new List<nint>();
        nint Utf8(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s + "\0");
            var p = Marshal.AllocHGlobal(bytes.Length);
            Marshal.Copy(bytes, 0, p, bytes.Length);
            pinned.Add(p);
            return p;
        }
        nint program = 0;
        try
        {
            var headerSources = stackalloc byte*[Math.Max(headers.Count, 1)];
            var headerNames = stackalloc byte*[Math.Max(headers.Count, 1)];
            for (int i = 0; i < headers.Count; i++)
            {
                headerSources[i] = (byte*)Utf8(headers[i].Source);
                headerNames[i] = (byte*)Utf8(headers[i].IncludeName);
            }
            Check(NvrtcApi.nvrtcCreateProgram(out program, source, name, headers.Count, headerSources, headerNames), "nvrtcCreateProgram");
            var optionPointers = stackalloc byte*[options.Count];
            for (int i = 0; i < options.Count; i++) optionPointers[i] = (byte*)Utf8(options[i]);
            var result = NvrtcApi.nvrtcCompileProgram(program, options.Count, optionPointers);
            if (result != NvrtcResult.Success)
                throw new NvrtcCompileException(name, architecture, ProgramLog(program) is { Length: > 0 } log ? log : Describe(result), source, headers);
            Check(NvrtcApi.nvrtcGetCUBINSize(program, out var size), "nvrtcGetCUBINSize");
            var cubin = new byte[(int)size];
            fixed (byte* p = cubin) Check(NvrtcApi.nvrtcGetCUBIN(program, p), "nvrtcGetCUBIN");
            return cubin;
        }
        finally
        {
            if (program != 0) NvrtcApi.nvrtcDestroyProgram(ref program);
            foreach (var p in pinned) Marshal.FreeHGlobal(p);
        }
    }

    private static unsafe string ProgramLog(nint program)
    {
        if (NvrtcApi.nvrtcGetProgramLogSize(program, out var size) != NvrtcResult.Success || size <= 1) return "";
        var log = new byte[(int)size];
        fixed (byte* p = log) NvrtcApi.nvrtcGetProgramLog(program, p);
        return Encoding.UTF8.GetString(log).TrimEnd('\0');
    }

    private static string Describe(NvrtcResult result) =>
        NvrtcApi.nvrtcGetErrorString(result) is var p and not 0 ? Marshal.PtrToStringUTF8(p) ?? result.ToString() : result.ToString();

    private static void Check(NvrtcResult result, string call)
    {
        if (result != NvrtcResult.Success) throw new InvalidOperationException($"{call} failed: {Describe(result)} ({(int)result})");
    }
}
