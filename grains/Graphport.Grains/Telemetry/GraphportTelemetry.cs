using System.Diagnostics;
using Graphport.Kernels;

namespace Graphport.Grains;

/// <summary>
/// The activity sources of the cluster, one per layer (DESIGN §4): the engine's export spans, the grains' own
/// spans, and the kernels layer's compile/execute spans (<see cref="KernelTelemetry"/>), which the backends of
/// kernels/ record themselves and the CPU interpreter backend records through the same source. Tracing setups add
/// <see cref="AllSources"/>.
/// </summary>
public static class GraphportTelemetry
{
    public const string ExportSourceName = "Graphport.Export";
    public const string GrainsSourceName = "Graphport.Grains";

    /// <summary>The kernels layer's source, defined there (<see cref="KernelTelemetry.SourceName"/>).</summary>
    public const string KernelsSourceName = KernelTelemetry.SourceName;

    public static readonly ActivitySource Grains = new(GrainsSourceName);

    /// <summary>The kernels layer's own source object, not a second one of the same name.</summary>
    public static ActivitySource Kernels => KernelTelemetry.Source;

    /// <summary>Graphport's sources plus Orleans' grain-call sources, so one client call shows as one trace.</summary>
    public static IReadOnlyList<string> AllSources { get; } =
        [ExportSourceName, GrainsSourceName, KernelsSourceName, "Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime"];
}
