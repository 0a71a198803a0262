using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Graphport.Kernels.Codegen;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.HostEmulation;

/// <summary>
/// A program's generated CUDA C - the translation unit NVRTC compiles for the device, byte for byte - compiled by
/// the machine's C++ compiler against cuda_on_host.h and loaded as a shared library, so a machine without a GPU
/// runs the device's own source: every CUDA thread a fiber, barriers and warp shuffles honoured, every
/// gp_load/gp_store bounds-checked. What the CPU twin cannot show (that the printed C does what the IR says) this
/// does. Libraries are cached by source hash under the temp folder and loaded once per process.
/// </summary>
public sealed unsafe class HostCudaModule
{
    private static readonly ConcurrentDictionary<string, Lazy<HostCudaModule>> Loaded = new(StringComparer.Ordinal);
    private readonly nint library;
    private readonly ConcurrentDictionary<string, nint> entries = new(StringComparer.Ordinal);
    // One launch at a time: the shim's scheduler and __shared__ statics belong to the library.
    private readonly Lock gate = new();

    private HostCudaModule(nint library, string path)
    {
        this.library = library;
        LibraryPath = path;
    }

    /// <summary>The compiled shared library (kept for reuse by later runs with the same source).</summary>
    public string LibraryPath { get; }

    /// <summary>Compiles (or reuses) the module of <paramref name="kernels"/>' generated kernels.</summary>
    public static HostCudaModule Compile(IEnumerable<KernelStep> kernels, bool narrowIndices = true)
    {
        var generated = kernels.Where(k => k.IsGenerated).ToList();
        var source = new StringBuilder(CudaRenderer.RenderModule(generated, narrowIndices));
        source.Append("\n// Host entry points (kernels/HostEmulation/cuda_on_host.h).\n");
        foreach (var kernel in generated) source.Append("GP_HOST_KERNEL(").Append(kernel.Name).Append(")\n");
        source.Append("GP_HOST_INDEX_FAULTS()\n");
        var text = source.ToString();
        var key = Hash(text + Shim + string.Concat(CudaSources.Headers.Select(h => h.Source)));
        return Loaded.GetOrAdd(key, k => new Lazy<HostCudaModule>(() => Build(k, text))).Value;
    }

    /// <summary>
    /// Runs one generated kernel: <paramref name="arguments"/> in <see cref="CudaRenderer.Parameters"/> order,
    /// each an address and its size in bytes, over <paramref name="shape"/>'s grid and block.
    /// </summary>
    public void Launch(KernelStep kernel, IReadOnlyList<(nint Address, long Bytes)> arguments, LaunchShape shape)
    {
        var entry = entries.GetOrAdd(kernel.Name, name =>
            NativeLibrary.TryGetExport(library, "gp_host_run_" + name, out var address) ? address
            : throw new InvalidOperationException($"{LibraryPath} has no kernel {name}; compile the module from the plan that holds it."));
        var addresses = new nint[arguments.Count];
        var bytes = new ulong[arguments.Count];
        for (int i = 0; i < arguments.Count; i++) (addresses[i], bytes[i]) = (arguments[i].Address, (ulong)arguments[i].Bytes);
        var message = new byte[1024];
        int failed;
        lock (gate)
        {
            fixed (nint* a = addresses)
            fixed (ulong* b = bytes)
            fixed (byte* m = message)
            {
                var run = (delegate* unmanaged<nint*, ulong*, int, uint, uint, byte*, int, int>)entry;
                failed = run(a, b, arguments.Count, checked((uint)shape.Grid), checked((uint)shape.Block), m, message.Length);
            }
        }
        if (failed != 0)
            throw new HostCudaLaunchException(kernel, Encoding.UTF8.GetString(message, 0, Math.Max(Array.IndexOf(message, (byte)0), 0)));
    }

    /// <summary>The index fault the module's kernels recorded since the last call (kernels/Cuda/prelude.cu), cleared.</summary>
    public (ulong Site, ulong Value) TakeIndexFault()
    {
        var take = (delegate* unmanaged<ulong*, void>)NativeLibrary.GetExport(library, "gp_host_take_index_faults");
        var words = stackalloc ulong[2];
        lock (gate) take(words);
        return (words[0], words[1]);
    }

    private static HostCudaModule Build(string key, string source)
    {
        var folder = Path.Combine(Path.GetTempPath(), "graphport-host-cuda", key);
        var library = Path.Combine(folder, OperatingSystem.IsMacOS() ? "module.dylib" : "module.so");
        if (!File.Exists(library))
        {
            var work = Path.Combine(folder, "build-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(work, "graphport"));
            foreach (var (name, text) in CudaSources.Headers) File.WriteAllText(Path.Combine(work, name), text);
            File.WriteAllText(Path.Combine(work, "graphport", "cuda_on_host.h"), Shim);
            File.WriteAllText(Path.Combine(work, "module.cu"), source);
            var output = Path.Combine(work, Path.GetFileName(library));
            // Hidden symbols (and no GNU unique ones, g++'s binding for inline variables): every module keeps its
            // own scheduler and shared memory even when the loader already holds another module.
            var compiler = FindCompiler();
            var flags = new List<string> { "-std=c++17", "-O1", "-fPIC", "-shared", "-fvisibility=hidden", "-include", "graphport/cuda_on_host.h", "-I", ".", "-x", "c++", "module.cu", "-o", output };
            if (!Path.GetFileName(compiler).Contains("clang", StringComparison.Ordinal)) flags.Insert(0, "-fno-gnu-unique");
            RunCompiler(compiler, work, flags);
            // Rename into place, so a concurrent test process never loads half a library.
            try { File.Move(output, library); }
            catch (IOException) when (File.Exists(library)) { }
            Directory.Delete(work, recursive: true);
        }
        return new HostCudaModule(NativeLibrary.Load(library), library);
    }

    private static void RunCompiler(string compiler, string folder, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(compiler) { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {compiler}.");
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var lines = errors.Result.Split('\n').Take(40);
            throw new InvalidOperationException($"{compiler} could not compile the generated CUDA C for the host (kept in {folder}):\n{string.Join('\n', lines)}");
        }
    }

    /// <summary>$GRAPHPORT_CXX, else g++, c++ or clang++ from PATH.</summary>
    public static string FindCompiler()
    {
        if (Environment.GetEnvironmentVariable("GRAPHPORT_CXX") is { Length: > 0 } configured) return configured;
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator) ?? [];
        foreach (var name in new[] { "g++", "c++", "clang++" })
            foreach (var dir in path)
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        throw new InvalidOperationException("Running CUDA C on the CPU needs a C++17 compiler: install g++ (Debian: apt-get install g++) or set GRAPHPORT_CXX to one.");
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];

    private static string Shim { get; } = ReadShim();

    private static string ReadShim()
    {
        using var stream = typeof(HostCudaModule).Assembly.GetManifestResourceStream("Graphport.Kernels.HostEmulation.cuda_on_host.h")
            ?? throw new InvalidOperationException("The embedded cuda_on_host.h is missing from Graphport.Kernels.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>A generated kernel misbehaved when run on the host: an access outside its buffers, or a barrier that would hang.</summary>
public sealed class HostCudaLaunchException(KernelStep kernel, string message)
    : Exception($"CUDA C on the host: {kernel.Name} ({kernel.Comment}): {message}")
{
    public KernelStep Kernel { get; } = kernel;
}
