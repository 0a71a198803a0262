namespace Graphport.Grains;

/// <summary>
/// A backend's device can run nothing more in this process: a kernel faulted on the GPU, and the driver keeps such
/// a fault for the whole process, so every later call there would fail the same way. The executor that meets it
/// compiles its program for the backend that still works (the CPU) and runs the call again there; the backend's
/// <see cref="IExecutionBackend.Lost"/> makes the silo's health check unhealthy, so a liveness probe (Kubernetes)
/// restarts the process and the GPU serves again.
/// </summary>
public sealed class DeviceLostException(string backend, string reason, Exception? inner = null)
    : Exception($"The {backend} backend lost its device: {reason}. Its programs move to the CPU until the silo restarts (the health check says so).", inner)
{
    public string Backend { get; } = backend;

    public string Reason { get; } = reason;
}
