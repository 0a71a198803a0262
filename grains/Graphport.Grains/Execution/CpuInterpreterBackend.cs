namespace Graphport.Grains;

/// <summary>
/// The CPU backend: the engine's interpreter over a frozen module (ExportedProgram.Module().Freeze(): an executor's
/// weights never change, so batch norms are folded into their convolutions once), with compile/execute spans.
/// </summary>
public sealed class CpuInterpreterBackend : IExecutionBackend
{
    public const string BackendName = "cpu-interpreter";

    public string Name => BackendName;

    public bool Supports(ExecutionDevice device) => device is { Kind: ExecutionDevice.CpuKind };

    public ICompiledProgram Compile(ExportedProgram program, ExecutionDevice device)
    {
        ArgumentNullException.ThrowIfNull(program);
        using var activity = ExecutionSpans.Compile(BackendName, device, program);
        // Module() copies the weights once so runs never touch the stored program; nothing else sees that copy, so
        // it can be frozen.
        return new CpuInterpretedProgram(program.Module().Freeze(), device);
    }
}
