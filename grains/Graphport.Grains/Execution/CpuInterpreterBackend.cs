namespace Graphport.Grains;

/// <summary>The reference backend: the engine's CPU interpreter (ExportedProgram.Module()), with compile/execute spans.</summary>
public sealed class CpuInterpreterBackend : IExecutionBackend
{
    public const string BackendName = "cpu-interpreter";

    public string Name => BackendName;

    public bool Supports(ExecutionDevice device) => device is { Kind: ExecutionDevice.CpuKind };

    public ICompiledProgram Compile(ExportedProgram program, ExecutionDevice device)
    {
        ArgumentNullException.ThrowIfNull(program);
        using var activity = ExecutionSpans.Compile(BackendName, device, program);
        // The interpreter needs no compilation; Module() copies the weights once so runs never touch the stored program.
        return new CpuInterpretedProgram(program.Module(), device);
    }
}
