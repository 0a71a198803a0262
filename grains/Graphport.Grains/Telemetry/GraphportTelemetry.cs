using System.Diagnostics;

namespace Graphport.Grains;

/// <summary>
/// The activity sources of the cluster, one per layer (DESIGN §4): the engine's export spans, the grains' own
/// spans, and compile/execute spans around the execution backend. Tracing setups add <see cref="AllSources"/>.
/// </summary>
public static class GraphportTelemetry
{
    public const string ExportSourceName = "Graphport.Export";
    public const string GrainsSourceName = "Graphport.Grains";

    /// <summary>Named for the kernels layer the backends will move to; the CPU backend reports under it already.</summary>
    public const string KernelsSourceName = "Graphport.Kernels";

    public static readonly ActivitySource Grains = new(GrainsSourceName);
    public static readonly ActivitySource Kernels = new(KernelsSourceName);

    /// <summary>Graphport's sources plus Orleans' grain-call sources, so one client call shows as one trace.</summary>
    public static IReadOnlyList<string> AllSources { get; } =
        [ExportSourceName, GrainsSourceName, KernelsSourceName, "Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime"];
}
