using System.Diagnostics;

namespace Graphport.Kernels;

/// <summary>
/// The kernels layer's activity source (DESIGN §4, one per layer). Every backend records "compile" when it prepares a
/// program and "execute" for each run, with the same tags (graphport.backend, graphport.device, and graphport.nodes on
/// compile), so a listener of "Graphport.Kernels" sees them whether a silo's executor or the user's own code runs the
/// backend, and traces compare across devices.
/// </summary>
public static class KernelTelemetry
{
    public const string SourceName = "Graphport.Kernels";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>"compile": a backend preparing <paramref name="program"/> for <paramref name="device"/> ("cpu", "cuda:0").</summary>
    public static Activity? StartCompile(string backend, string device, ExportedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var activity = Start("compile", backend, device);
        activity?.SetTag("graphport.nodes", program.Graph.Nodes.Count);
        return activity;
    }

    /// <summary>"execute": one run of a compiled program.</summary>
    public static Activity? StartExecute(string backend, string device) => Start("execute", backend, device);

    private static Activity? Start(string name, string backend, string device)
    {
        var activity = Source.StartActivity(name);
        activity?.SetTag("graphport.backend", backend);
        activity?.SetTag("graphport.device", device);
        return activity;
    }
}
