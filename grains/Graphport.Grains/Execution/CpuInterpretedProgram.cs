namespace Graphport.Grains;

/// <summary>A program run by the CPU interpreter; its result structure (tensor, tuple, array) is flattened to a tensor list.</summary>
internal sealed class CpuInterpretedProgram(ExportedModule module, ExecutionDevice device) : ICompiledProgram
{
    public string Backend => CpuInterpreterBackend.BackendName;

    public ExecutionDevice Device => device;

    public Tensor[] Run(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var activity = GraphportTelemetry.Kernels.StartActivity("execute");
        activity?.SetTag("graphport.backend", Backend);
        activity?.SetTag("graphport.device", device.ToString());
        return TensorLists.Flatten(module.Invoke([.. inputs]));
    }

    public void Dispose()
    {
        // The interpreter holds managed memory only.
    }
}
