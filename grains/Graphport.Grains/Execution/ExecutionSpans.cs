using System.Diagnostics;
using Graphport.Kernels;

namespace Graphport.Grains;

/// <summary>
/// Compile and execute spans for backends that do not record their own: the CPU interpreter runs the engine's
/// ExportedModule, not a backend of kernels/. They go to the kernels layer's source with its tags
/// (<see cref="KernelTelemetry"/>), so traces compare across devices; the CUDA backend records its own.
/// </summary>
internal static class ExecutionSpans
{
    public static Activity? Compile(string backend, ExecutionDevice device, ExportedProgram program) =>
        KernelTelemetry.StartCompile(backend, device.ToString(), program);

    public static Activity? Execute(string backend, ExecutionDevice device) => KernelTelemetry.StartExecute(backend, device.ToString());
}
