using Microsoft.Extensions.Logging;

namespace Graphport.Grains;

/// <summary>
/// Picks the backend for this silo's device: the first registered backend that supports it. A GPU silo without
/// a GPU backend in this build, or whose GPU backend lost its device, falls back to the CPU backend, with a
/// warning, so it still serves.
/// </summary>
public sealed class BackendSelector(IEnumerable<IExecutionBackend> backends, ExecutionDevice device, ILogger<BackendSelector> logger)
{
    private readonly IReadOnlyList<IExecutionBackend> all = backends.ToList();

    public ExecutionDevice Device => device;

    public (IExecutionBackend Backend, ExecutionDevice Device) Select()
    {
        if (all.FirstOrDefault(b => b.Supports(device)) is { } exact) return (exact, device);
        var cpu = all.FirstOrDefault(b => b.Supports(ExecutionDevice.Cpu))
            ?? throw new InvalidOperationException($"No execution backend supports {device} or the CPU; register one with AddGraphportGrains.");
        if (all.FirstOrDefault(b => b.Lost is not null) is { } lost)
            logger.LogWarning("The {Backend} backend lost {Device} ({Reason}); running programs on the CPU backend until the silo restarts", lost.Name, device, lost.Lost);
        else
            logger.LogWarning("No backend for {Device} ({Name}) in this build; running programs on the CPU backend", device, device.Name);
        return (cpu, ExecutionDevice.Cpu);
    }
}
