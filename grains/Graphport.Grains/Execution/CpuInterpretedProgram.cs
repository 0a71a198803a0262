namespace Graphport.Grains;

/// <summary>A program run by the CPU interpreter; its result structure (tensor, tuple, array) is flattened to a tensor list.</summary>
internal sealed class CpuInterpretedProgram(ExportedModule module, ExecutionDevice device) : ICompiledProgram
{
    public string Backend => CpuInterpreterBackend.BackendName;

    public ExecutionDevice Device => device;

    public Tensor[] Run(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var activity = ExecutionSpans.Execute(Backend, device);
        return TensorLists.Flatten(module.Invoke([.. inputs]));
    }

    public void Dispose()
    {
        // The interpreter holds managed memory only.
    }
}
