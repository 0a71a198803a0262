namespace Graphport.Cpu;

/// <summary>Splits a range over the thread pool only when the work is large enough to repay the scheduling cost.</summary>
public static class CpuParallel
{
    /// <summary>Roughly how many element-operations make a parallel split worthwhile (a thread-pool hand-off costs tens of microseconds, more on a busy machine).</summary>
    public const long MinParallelWork = 1L << 20;

    /// <summary>Calls <paramref name="body"/>(start, end) over disjoint chunks covering [0, count).</summary>
    public static void For(long count, double costPerItem, Action<long, long> body)
    {
        if (count <= 0) return;
        int workers = Environment.ProcessorCount;
        double total = count * Math.Max(costPerItem, 1e-3);
        if (workers <= 1 || count == 1 || total < MinParallelWork)
        {
            body(0, count);
            return;
        }
        // Several chunks per worker smooth out uneven rows; never smaller than the threshold.
        long chunks = Math.Min(count, Math.Max(1, Math.Min(workers * 4L, (long)(total / MinParallelWork))));
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, chunks, c =>
        {
            long start = count * c / chunks;
            long end = count * (c + 1) / chunks;
            if (end > start) body(start, end);
        });
    }
}
