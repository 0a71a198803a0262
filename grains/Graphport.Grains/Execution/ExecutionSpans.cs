using System.Diagnostics;

namespace Graphport.Grains;

/// <summary>The compile and execute spans every backend records, with the same tags, so traces compare across devices.</summary>
internal static class ExecutionSpans
{
    public static Activity? Compile(string backend, ExecutionDevice device, ExportedProgram program)
    {
        var activity = Start("compile", backend, device);
        activity?.SetTag("graphport.nodes", program.Graph.Nodes.Count);
        return activity;
    }

    public static Activity? Execute(string backend, ExecutionDevice device) => Start("execute", backend, device);

    private static Activity? Start(string name, string backend, ExecutionDevice device)
    {
        var activity = GraphportTelemetry.Kernels.StartActivity(name);
        activity?.SetTag("graphport.backend", backend);
        activity?.SetTag("graphport.device", device.ToString());
        return activity;
    }
}
