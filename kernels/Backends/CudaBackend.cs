using Graphport.Kernels.Compilation;
using Graphport.Kernels.Planning;
using Graphport.Kernels.Runtime;

namespace Graphport.Kernels.Backends;

/// <summary>
/// Runs programs on a CUDA device: per shape bucket, the fusion planner's kernels compiled by NVRTC (cached),
/// cuBLASLt for matrix products, one arena for activations and one allocation for weights, replayed as CUDA
/// graphs. Ops without a kernel run on the host (said once per op); a program the planner cannot take at all
/// runs on the CPU backend (said once). Out-of-memory frees what the compile took and says what was needed.
/// </summary>
public sealed class CudaBackend : IExecutionBackend, IDisposable
{
    private readonly HashSet<string> reported = new(StringComparer.Ordinal);

    public CudaBackend(CudaDevice device, CudaBackendOptions? options = null)
    {
        Device = device;
        Options = options ?? new CudaBackendOptions();
        Compiler = new NvrtcCompiler(new KernelCache(Options.KernelStore ?? new LocalFolderBlobStore(), Options.Log));
    }

    public string Name => "cuda";

    public CudaDevice Device { get; }

    public CudaBackendOptions Options { get; }

    public NvrtcCompiler Compiler { get; }

    /// <summary>Opens device <paramref name="ordinal"/> and makes a backend, or says why not.</summary>
    public static bool TryCreate(out CudaBackend? backend, out string message, CudaBackendOptions? options = null, int ordinal = 0)
    {
        backend = null;
        if (!CudaDevice.TryOpen(out var device, out message, ordinal)) return false;
        // A driver without NVRTC or cuBLASLt (an image without the toolkit or NVIDIA's pip wheels) would fail at the
        // first compile; say so now, so a caller can run on the CPU instead.
        Interop.CudaLibraryResolver.EnsureRegistered();
        foreach (var library in new[] { Interop.CudaLibrary.Nvrtc, Interop.CudaLibrary.CublasLt })
        {
            if (Interop.CudaLibraryResolver.TryLoad(library, out _, out var missing)) continue;
            message = $"no CUDA device usable: {device.Name} opened, but {missing}";
            device.Dispose();
            return false;
        }
        backend = new CudaBackend(device, options);
        return true;
    }

    internal void Say(string key, string message)
    {
        lock (reported)
            if (!reported.Add(key)) return;
        (Options.Log ?? (m => Console.Error.WriteLine(m)))(message);
    }

    /// <summary>"cuda:0": the device as spans and silos name it.</summary>
    internal string DeviceLabel => $"cuda:{Device.Ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Plans, compiles and uploads <paramref name="program"/> (a "compile" span); a program the planner cannot take
    /// is handed to the CPU backend, whose own spans then follow.
    /// </summary>
    public ICompiledProgram Compile(ExportedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        using var activity = KernelTelemetry.StartCompile(Name, DeviceLabel, program);
        var core = ProgramPreparation.ToCore(program);
        try
        {
            // Plan once at the example sizes up front, so a program the planner cannot take falls back now.
            var probe = FusionPlanner.Plan(core, ShapeBinding.FromHints(core), Options.Planner);
            foreach (var op in probe.HostOps) Say($"host:{op}", $"cuda backend: {op} has no CUDA kernel; it runs on the host (CPU kernels) between device segments.");
        }
        catch (NotSupportedException e)
        {
            Say($"program:{e.Message}", $"cuda backend: running the whole program on the CPU backend: {e.Message}");
            return new CpuBackend().Compile(core);
        }
        return new CudaCompiledProgram(this, core);
    }

    public void Dispose() => Device.Dispose();
}
