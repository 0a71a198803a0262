namespace Graphport.Kernels.Interop;

/// <summary>
/// Where the CUDA libraries may live, in the order they are tried: for each file name (newest CUDA major first)
/// the system loader's own search, then <c>CUDA_PATH</c>/<c>CUDA_HOME</c>, <c>/usr/local/cuda</c>, and the NVIDIA
/// pip wheels inside Python environments (<c>site-packages/nvidia/cu13/lib</c>, <c>.../cublas/lib</c>, ...),
/// which is where a PyTorch install keeps them.
/// </summary>
public static class CudaLibrarySearch
{
    /// <summary>The bench machine's PyTorch environment (see bench/gpu/README.md).</summary>
    public const string BenchVenv = "/opt/torch/.venv";

    /// <summary>Where tools/cuda/install-nvrtc.sh puts NVRTC on a machine without CUDA (GRAPHPORT_NVRTC_DIR overrides).</summary>
    public const string NvrtcOnlyFolder = "/opt/graphport-nvrtc";

    public static IReadOnlyList<LibraryCandidate> Candidates(CudaLibrary library, LibrarySearchEnvironment? environment = null)
    {
        var env = environment ?? LibrarySearchEnvironment.Current;
        var result = new List<LibraryCandidate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string path, string origin)
        {
            if (seen.Add(path)) result.Add(new LibraryCandidate(path, origin));
        }

        foreach (var file in CudaLibraryNames.FileNames(library))
        {
            Add(file, "system loader path");
            if (library == CudaLibrary.Driver)
            {
                // The driver comes with the NVIDIA kernel module, never with a toolkit or a wheel.
                foreach (var dir in new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/wsl/lib", "/usr/local/nvidia/lib64" })
                    Add(Path.Combine(dir, file), "driver folder");
                continue;
            }
            foreach (var variable in new[] { "CUDA_PATH", "CUDA_HOME" })
            {
                if (env.Variable(variable) is { Length: > 0 } root)
                {
                    Add(Path.Combine(root, "lib64", file), variable);
                    Add(Path.Combine(root, "lib", file), variable);
                }
            }
            Add(Path.Combine("/usr/local/cuda/lib64", file), "/usr/local/cuda");
            if (library == CudaLibrary.Nvrtc)
            {
                // A compiler alone, for machines without a GPU or toolkit (tools/cuda/install-nvrtc.sh).
                var nvrtcOnly = env.Variable("GRAPHPORT_NVRTC_DIR") is { Length: > 0 } custom ? custom : NvrtcOnlyFolder;
                Add(Path.Combine(nvrtcOnly, "lib", file), "tools/cuda/install-nvrtc.sh");
            }
            foreach (var sitePackages in PythonSitePackages(env))
                foreach (var wheel in CudaLibraryNames.WheelFolders(file))
                    Add(Path.Combine(sitePackages, "nvidia", wheel, file), $"Python wheel in {sitePackages}");
        }
        return result;
    }

    /// <summary>
    /// Python package folders to look in: <c>GRAPHPORT_PYTHON_SITE_PACKAGES</c> (colon-separated) first, then
    /// the active virtual or conda environment, the bench machine's venv, the user's and the system's packages;
    /// newer Python versions first within each.
    /// </summary>
    public static IReadOnlyList<string> PythonSitePackages(LibrarySearchEnvironment? environment = null)
    {
        var env = environment ?? LibrarySearchEnvironment.Current;
        var result = new List<string>();
        if (env.Variable("GRAPHPORT_PYTHON_SITE_PACKAGES") is { Length: > 0 } explicitList)
            result.AddRange(explicitList.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var prefixes = new List<string>();
        if (env.Variable("VIRTUAL_ENV") is { Length: > 0 } venv) prefixes.Add(venv);
        if (env.Variable("CONDA_PREFIX") is { Length: > 0 } conda) prefixes.Add(conda);
        prefixes.Add(BenchVenv);
        if (env.HomeDirectory is { } home) prefixes.Add(Path.Combine(home, ".local"));
        prefixes.Add("/usr/local");
        prefixes.Add("/usr");
        foreach (var prefix in prefixes)
        {
            var lib = Path.Combine(prefix, "lib");
            var versions = env.Subdirectories(lib)
                .Where(d => Path.GetFileName(d).StartsWith("python3", StringComparison.Ordinal))
                .OrderByDescending(d => PythonMinor(Path.GetFileName(d)));
            foreach (var pythonDir in versions)
            {
                result.Add(Path.Combine(pythonDir, "site-packages"));
                result.Add(Path.Combine(pythonDir, "dist-packages"));
            }
        }
        result.Add("/usr/lib/python3/dist-packages");
        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    // "python3.12" -> 12; "python3" -> -1, so versioned folders sort first.
    private static int PythonMinor(string folder) =>
        folder.Length > "python3.".Length && int.TryParse(folder.AsSpan("python3.".Length), out var minor) ? minor : -1;
}
