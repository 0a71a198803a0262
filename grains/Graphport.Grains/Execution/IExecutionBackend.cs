namespace Graphport.Grains;

/// <summary>
/// Compiles programs for a device. The CPU backend wraps the engine's interpreter; the CUDA backend
/// (CudaExecutionBackend over kernels/) is chosen on silos whose device is a GPU when a device opens.
/// </summary>
public interface IExecutionBackend
{
    string Name { get; }

    bool Supports(ExecutionDevice device);

    /// <summary>Prepares the program for repeated runs on the device (allocations, plans, kernels).</summary>
    ICompiledProgram Compile(ExportedProgram program, ExecutionDevice device);

    /// <summary>
    /// Why this backend can run nothing more in this process (a GPU whose CUDA context a kernel fault took; see
    /// <see cref="DeviceLostException"/>), or null while it works. A lost backend supports no device.
    /// </summary>
    string? Lost => null;
}
