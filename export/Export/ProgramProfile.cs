using System.Globalization;
using System.Text;

namespace Graphport;

/// <summary>
/// Where one run of a program spent its time (<see cref="ExportedModule.Profile"/>): every call node in the order it
/// ran, the sum per target, and the whole call. Printed, it is torch.profiler's key_averages().table() of one run:
/// one line per target, most time first.
/// </summary>
public sealed class ProgramProfile(IReadOnlyList<NodeTiming> nodes, double totalMilliseconds, object? output, int reusedBuffers = 0)
{
    /// <summary>Kernel outputs that reused the array of a value no later node read, instead of a new allocation.</summary>
    public int ReusedBuffers { get; } = reusedBuffers;

    /// <summary>What the profiled call returned, as <see cref="ExportedModule.Invoke(object?[])"/> returns it.</summary>
    public object? Output { get; } = output;

    /// <summary>Every call node, in the order the interpreter ran them.</summary>
    public IReadOnlyList<NodeTiming> Nodes { get; } = nodes;

    /// <summary>The whole call: the nodes, and checking inputs, binding state and collecting outputs.</summary>
    public double TotalMilliseconds { get; } = totalMilliseconds;

    /// <summary>The nodes' time summed per target (per <see cref="NodeTiming.Kind"/>: a frozen module's fused and
    /// folded nodes apart from the ops run as written), most first.</summary>
    public IReadOnlyList<(string Target, int Calls, double Milliseconds)> ByTarget() =>
        Nodes.GroupBy(n => n.Kind, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(), g.Sum(n => n.Milliseconds)))
            .OrderByDescending(t => t.Item3).ThenBy(t => t.Key, StringComparer.Ordinal).ToList();

    public override string ToString()
    {
        var rows = ByTarget();
        int width = Math.Max("target".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Target.Length));
        double nodesTotal = Nodes.Sum(n => n.Milliseconds);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"target".PadRight(width)}  {"calls",6}  {"total ms",10}  {"share",6}\n");
        foreach (var (target, calls, ms) in rows)
            text.Append(CultureInfo.InvariantCulture, $"{target.PadRight(width)}  {calls,6}  {ms,10:0.000}  {(nodesTotal > 0 ? 100 * ms / nodesTotal : 0),5:0.0}%\n");
        text.Append(CultureInfo.InvariantCulture, $"{Nodes.Count} nodes: {nodesTotal:0.000} ms; the whole call: {TotalMilliseconds:0.000} ms; {ReusedBuffers} outputs in reused buffers\n");
        return text.ToString();
    }
}
