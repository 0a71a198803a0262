namespace Graphport.Kernels.Backends;

/// <summary>
/// Something that runs exported programs: the CPU interpreter, the CPU twin of the CUDA code, or CUDA itself.
/// The cluster's executor grain picks one by device and compiles each program once.
/// </summary>
public interface IExecutionBackend
{
    /// <summary>"cpu", "cpu-twin", "cuda".</summary>
    string Name { get; }

    ICompiledProgram Compile(ExportedProgram program);
}

/// <summary>A program prepared by a backend; run it as often as you like (not concurrently).</summary>
public interface ICompiledProgram : IDisposable
{
    ExportedProgram Program { get; }

    /// <summary>Runs on the user inputs (flattened, signature order) and returns the user outputs in graph order.</summary>
    object?[] Run(IReadOnlyList<Tensor> inputs);
}
