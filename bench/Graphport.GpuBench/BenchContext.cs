using System.Diagnostics;
using Graphport.Kernels.Backends;
using Graphport.Kernels.Compilation;
using Graphport.Kernels.Runtime;

namespace Graphport.GpuBench;

/// <summary>
/// What the phases of one `run` share: the options, the output folder, the clock the time budget is read from,
/// and the CUDA device when one opens (null, with the reason, on a machine without one).
/// </summary>
public sealed class BenchContext : IDisposable
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public BenchContext(RunOptions options)
    {
        Options = options;
        OutDir = Path.GetFullPath(options.OutDir);
        Directory.CreateDirectory(OutDir);
        var opened = CudaDevice.TryOpen(out var device, out var message);
        Device = opened ? device : null;
        DeviceMessage = message;
    }

    public RunOptions Options { get; }

    public string OutDir { get; }

    public CudaDevice? Device { get; }

    /// <summary>"opened NVIDIA H100 ..." or "no CUDA device: why".</summary>
    public string DeviceMessage { get; }

    public double ElapsedSeconds => clock.Elapsed.TotalSeconds;

    public double SecondsLeft => Options.BudgetSeconds - ElapsedSeconds;

    /// <summary>CUBINs compiled during this run (kept out of results.tgz by run.sh).</summary>
    public string KernelCacheFolder => Path.Combine(OutDir, "kernel-cache");

    public string PathOf(string file) => Path.Combine(OutDir, file);

    /// <summary>
    /// A CUDA backend whose messages (host fallbacks, whole-program fallbacks) go to <paramref name="log"/>. One per
    /// case, so each case's record names its own fallbacks; all share the device and the kernel cache.
    /// </summary>
    public CudaBackend NewCudaBackend(List<string> log, Func<CudaBackendOptions, CudaBackendOptions>? configure = null)
    {
        var options = new CudaBackendOptions
        {
            KernelStore = new LocalFolderBlobStore(KernelCacheFolder),
            Log = m => { lock (log) log.Add(m); },
        };
        return new(Device ?? throw new InvalidOperationException(DeviceMessage), configure is null ? options : configure(options));
    }

    public void Say(string line) => Console.WriteLine($"[{ElapsedSeconds,6:0.0}s] {line}");

    public void Dispose() => Device?.Dispose();
}
