namespace Graphport.Cpu;

/// <summary>Splits a range over the kernel workers (<see cref="KernelWorkers"/>) only when the work is large enough to repay the hand-off.</summary>
public static class CpuParallel
{
    /// <summary>
    /// Roughly how many element operations (a scalar or short vector step per element: an add, a compare, a load and a
    /// store; an exp counts several) make a parallel chunk worthwhile: 10-20 µs of work, where a hand-off to a warm
    /// thread-pool worker costs a few. It was 16 times this, which left softmaxes, norms and elementwise ops of
    /// 100-300 µs (a transformer's at 128 tokens) on one core.
    /// </summary>
    public const long MinParallelWork = 1L << 16;

    /// <summary>
    /// The threshold of <see cref="SplitsWhileAwake"/>: about a microsecond of work. A recurrent model's steps (an LSTM's
    /// one-row product, a few microseconds each) then split across cores that are still spinning from the last split.
    /// </summary>
    public const long MinParallelWorkAwake = 1L << 12;

    /// <summary>How many floating-point operations of a vectorized product (GEMM, convolution) weigh as much as one
    /// element operation: a 16-lane FMA does 32 in about the time of an element's load and store.</summary>
    public const double FlopsPerOperation = 16;

    /// <summary>
    /// <see cref="For"/> for products whose cost is counted in floating-point operations (<paramref name="flopsPerItem"/>):
    /// a chunk then holds about a million of them (a few microseconds at GEMM speed).
    /// </summary>
    public static void ForFlops(long count, double flopsPerItem, Action<long, long> body) => For(count, flopsPerItem / FlopsPerOperation, body);

    /// <summary>Whether <see cref="For"/> may hand chunks of this work to the workers; when not it runs the body inline, and
    /// a kernel on a hot path (an LSTM step's product, microseconds long) can call its range directly and skip building
    /// the delegate.</summary>
    public static bool Splits(long count, double costPerItem) =>
        Environment.ProcessorCount > 1 && count > 1 && count * Math.Max(costPerItem, 1e-3) >= MinParallelWork;

    /// <summary><see cref="Splits"/> for work counted in floating-point operations, as <see cref="ForFlops"/> counts it.</summary>
    public static bool SplitsFlops(long count, double flopsPerItem) => Splits(count, flopsPerItem / FlopsPerOperation);

    /// <summary>
    /// Whether work too small for <see cref="Splits"/> may split all the same because the workers are spinning from the
    /// last parallel op (<see cref="KernelWorkers.Awake"/>), for <see cref="ForFlopsWhileAwake"/>. The answer depends on
    /// timing, so only work whose every output is computed the same way however the range is cut may ask: split by output
    /// columns, never by the terms of a sum (a reduction's partial sums would round differently from run to run).
    /// </summary>
    public static bool SplitsWhileAwake(long count, double flopsPerItem) =>
        count > 1 && count * Math.Max(flopsPerItem / FlopsPerOperation, 1e-3) >= MinParallelWorkAwake && KernelWorkers.Shared?.Awake == true;

    /// <summary><see cref="ForFlops"/> with the chunks <see cref="SplitsWhileAwake"/> allows: one per core once the work
    /// is a few microseconds, fewer below (each chunk at least <see cref="MinParallelWorkAwake"/>). Inline when the
    /// workers are taken. The same caveat: outputs that do not depend on the cut only.</summary>
    public static void ForFlopsWhileAwake(long count, double flopsPerItem, Action<long, long> body)
    {
        if (count <= 0) return;
        double total = count * Math.Max(flopsPerItem / FlopsPerOperation, 1e-3);
        long chunks = Math.Min(count, Math.Min(Environment.ProcessorCount, (long)(total / MinParallelWorkAwake)));
        if (chunks > 1 && KernelWorkers.Shared?.TryRun(count, chunks, body) == true) awakeSplitsOnThisThread++;
        else body(0, count);
    }

    [ThreadStatic] private static long awakeSplitsOnThisThread;

    /// <summary>How many times <see cref="ForFlopsWhileAwake"/> split work called on this thread (the tests check that
    /// their product did split, and came out as unsplit).</summary>
    internal static long AwakeSplitsOnThisThread => awakeSplitsOnThisThread;

    /// <summary>Calls <paramref name="body"/>(start, end) over disjoint chunks covering [0, count); <paramref name="costPerItem"/>
    /// is in element operations (<see cref="MinParallelWork"/>).</summary>
    public static void For(long count, double costPerItem, Action<long, long> body)
    {
        if (count <= 0) return;
        if (!Splits(count, costPerItem))
        {
            body(0, count);
            return;
        }
        int workers = Environment.ProcessorCount;
        double total = count * Math.Max(costPerItem, 1e-3);
        // Several chunks per worker smooth out uneven rows; never smaller than the threshold.
        long chunks = Math.Min(count, Math.Max(1, Math.Min(workers * 4L, (long)(total / MinParallelWork))));
        // A whole number of chunks per worker: 3 chunks on 2 cores kept one core idle for a third of the op.
        if (chunks > 1 && chunks % workers != 0) chunks = Math.Min(count, (chunks + workers - 1) / workers * workers);
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }
        // On the kernel workers; inline when they are busy with another call's chunks (or this is one of them).
        if (KernelWorkers.Shared?.TryRun(count, chunks, body) != true) body(0, count);
    }
}
