using Graphport.Kernels.Runtime;

namespace Graphport.GpuBench;

/// <summary>
/// A kernel faulted and the process's CUDA state is gone (<see cref="CudaException.ContextLost"/>): every later case
/// of this process would fail the same way, so the phase stops at once, and `run` exits with
/// <see cref="ExitCode"/> so bench/gpu/run.sh starts the phase again in a new process (--resume keeps what was done).
/// </summary>
public sealed class ContextLostException(string where, CudaException cause)
    : Exception($"{where}: {cause.Message}; the CUDA context is lost, so this process stops here", cause)
{
    /// <summary>What `run` exits with after a lost context (1: a phase failed otherwise).</summary>
    public const int ExitCode = 3;
}
