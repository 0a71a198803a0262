namespace Graphport.Graphs;

/// <summary>What a profiled <see cref="GraphInterpreter"/> run reports: each call node's time, and how many kernel
/// outputs reused an array an earlier node's dead value gave back.</summary>
internal sealed class RunObserver(Action<Node, long> timed)
{
    /// <summary>Told each call node's time in Stopwatch ticks, kernel and frozen-runner work included.</summary>
    public Action<Node, long> Timed { get; } = timed;

    public int ReusedBuffers { get; set; }
}
