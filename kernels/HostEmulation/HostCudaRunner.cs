using Graphport.Kernels.Codegen;
using Graphport.Kernels.Planning;
using Graphport.Kernels.Twin;

namespace Graphport.Kernels.HostEmulation;

/// <summary>
/// Runs a <see cref="FusedProgram"/> as the device would, on the CPU: its generated kernels from their CUDA C
/// (<see cref="HostCudaModule"/>) at the launch shapes the backend uses, matrix products and host steps as the
/// CPU twin runs them, all in one pinned arena laid out by the memory plan.
/// </summary>
public static class HostCudaRunner
{
    /// <param name="multiprocessors">
    /// The streaming multiprocessors the launch shapes are sized for. Few (the default, 2) keep grids small, so
    /// grid-stride loops really stride; 132 launches what an H100 gets.
    /// </param>
    /// <param name="precision">Which matrix products run on TF32 operands (<see cref="TwinPrecision"/>); exact float32 by default.</param>
    public static object?[] Run(FusedProgram program, IReadOnlyList<Tensor> userInputs, bool narrowIndices = true, int multiprocessors = 2, TwinPrecision? precision = null) =>
        Run(program, userInputs, new TwinMemory(program.Memory, pinned: true), writeWeights: true, narrowIndices, multiprocessors, precision);

    /// <summary>The same in <paramref name="memory"/> (pinned), which keeps the weights and what the program wrote into
    /// its buffers from call to call when <paramref name="writeWeights"/> is false, as a device bucket does.</summary>
    internal static object?[] Run(FusedProgram program, IReadOnlyList<Tensor> userInputs, TwinMemory memory, bool writeWeights, bool narrowIndices = true, int multiprocessors = 2,
        TwinPrecision? precision = null)
    {
        var module = HostCudaModule.Compile(program.GeneratedKernels, narrowIndices);
        module.TakeIndexFault();
        var results = CpuTwin.Run(program, userInputs, memory, (step, m) =>
        {
            var arguments = CudaRenderer.Parameters(step).Select(b => (m.Address(b), b.Bytes)).ToList();
            module.Launch(step, arguments, CudaRenderer.Launch(step, multiprocessors));
        }, precision ?? TwinPrecision.Exact, writeWeights);
        GC.KeepAlive(memory);
        var (site, value) = module.TakeIndexFault();
        DataFaultException.ThrowIfRecorded(program, site, value);
        return results;
    }
}
