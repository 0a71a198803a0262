using System.Reflection;
using System.Runtime.InteropServices;

namespace Graphport.Kernels.Interop;

/// <summary>
/// Loads the CUDA libraries on demand from the candidates of <see cref="CudaLibrarySearch"/> and answers the
/// runtime's <see cref="NativeLibrary.SetDllImportResolver"/> callback for this assembly's logical names.
/// Loading never throws: <see cref="TryLoad"/> says what was tried, so a machine without CUDA gets a sentence
/// rather than a <see cref="DllNotFoundException"/>.
/// </summary>
public static class CudaLibraryResolver
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<CudaLibrary, (nint Handle, string Message)> Loaded = [];
    private static bool registered;

    /// <summary>Installs the resolver for Graphport.Kernels' imports (once per process; later calls do nothing).</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (registered) return;
            NativeLibrary.SetDllImportResolver(typeof(CudaLibraryResolver).Assembly, Resolve);
            registered = true;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        CudaLibraryNames.FromLogicalName(libraryName) is { } library && TryLoad(library, out var handle, out _) ? handle : 0;

    /// <summary>
    /// Loads <paramref name="library"/> (cached after the first try, success or not). On failure the message lists
    /// every candidate tried, in order.
    /// </summary>
    public static bool TryLoad(CudaLibrary library, out nint handle, out string message)
    {
        lock (Gate)
        {
            if (!Loaded.TryGetValue(library, out var entry))
            {
                entry = Load(library, CudaLibrarySearch.Candidates(library));
                Loaded[library] = entry;
            }
            handle = entry.Handle;
            message = entry.Message;
            return handle != 0;
        }
    }

    private static (nint, string) Load(CudaLibrary library, IReadOnlyList<LibraryCandidate> candidates)
    {
        if (!OperatingSystem.IsLinux())
            return (0, $"the CUDA backend loads Linux shared objects only; this is {RuntimeInformation.OSDescription}");
        var tried = new List<string>();
        foreach (var candidate in candidates)
        {
            if (!candidate.IsBareName && !File.Exists(candidate.Path)) continue;
            if (library == CudaLibrary.Nvrtc && !candidate.IsBareName) PreloadNvrtcBuiltins(Path.GetDirectoryName(candidate.Path)!);
            if (NativeLibrary.TryLoad(candidate.Path, out var handle)) return (handle, $"loaded {candidate}");
            tried.Add(candidate.ToString());
        }
        var names = string.Join(" or ", CudaLibraryNames.FileNames(library));
        var existing = tried.Count == 0 ? "none of the candidate files exist" : $"tried {string.Join(", ", tried)}";
        return (0, $"{names} not found ({existing}; searched the system loader path, CUDA_PATH, /usr/local/cuda/lib64, {CudaLibrarySearch.NvrtcOnlyFolder}/lib for NVRTC and Python's site-packages/nvidia/*/lib)");
    }

    // NVRTC dlopens libnvrtc-builtins by bare name when it compiles; loading it from the same wheel folder first
    // means the loader finds it already mapped even when that folder is not on LD_LIBRARY_PATH.
    private static void PreloadNvrtcBuiltins(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var builtins in Directory.EnumerateFiles(folder, "libnvrtc-builtins.so*").OrderByDescending(f => f.Length))
            if (NativeLibrary.TryLoad(builtins, out _)) return;
    }
}
