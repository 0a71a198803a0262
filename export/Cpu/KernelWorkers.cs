using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Graphport.Cpu;

/// <summary>
/// The threads that run the CPU kernels' parallel chunks (<see cref="CpuParallel.For"/>): one fewer than the cores,
/// the calling thread being the last, each spinning a short while after a job for the next one before it sleeps, as
/// ONNX Runtime's and OpenMP's pools do. The .NET thread pool that Parallel.For used picked a chunk up tens of
/// microseconds late or not at all once its workers had parked, and a model's ops come one after another with short
/// sequential steps between them: a transformer's 150-300 µs products and softmaxes often ran on one core.
/// One job runs at a time; a call made while another runs (a second caller, or a chunk that itself splits) runs on its
/// own thread, unsplit.
/// </summary>
internal sealed class KernelWorkers
{
    /// <summary>How long a worker spins for the next job before it sleeps: longer than the sequential steps between a
    /// model's parallel ops, short enough that an idle process gives its cores back at once. 500 µs unless
    /// GRAPHPORT_KERNEL_SPIN_US says otherwise (0: workers sleep as soon as a job ends, for machines shared by many
    /// processes, at the cost of a wake-up per parallel op).</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency * SpinMicroseconds(Environment.GetEnvironmentVariable("GRAPHPORT_KERNEL_SPIN_US")) / 1_000_000;

    private static readonly Lazy<KernelWorkers?> shared = new(() => Environment.ProcessorCount > 1 ? new KernelWorkers(Environment.ProcessorCount - 1) : null);

    [ThreadStatic] private static bool isWorker;

    private readonly SemaphoreSlim wake = new(0);
    private Job? current;
    private int busy;
    private int sleepers;

    private KernelWorkers(int count)
    {
        for (int i = 0; i < count; i++)
            new Thread(Work) { IsBackground = true, Name = $"Graphport kernel worker {i + 1}" }.Start();
    }

    /// <summary>The spin a GRAPHPORT_KERNEL_SPIN_US value asks for: microseconds from 0 to 100000, else 500.</summary>
    internal static long SpinMicroseconds(string? setting) =>
        long.TryParse(setting, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long us) && us <= 100_000 ? us : 500;

    /// <summary>Whether every worker is spinning for the next job (none asleep, none running one): a hand-off then costs
    /// a cache line's trip between cores, well under a microsecond, where waking a sleeper costs tens. It changes from
    /// one moment to the next, so only work whose numbers do not depend on how it is split may ask
    /// (<see cref="CpuParallel.SplitsWhileAwake"/>).</summary>
    public bool Awake => Volatile.Read(ref sleepers) == 0 && Volatile.Read(ref busy) == 0;

    /// <summary>The process's workers; null on one core.</summary>
    public static KernelWorkers? Shared => shared.Value;

    /// <summary>
    /// Runs <paramref name="body"/> over <paramref name="chunks"/> even chunks of [0, <paramref name="count"/>) on the
    /// workers and the calling thread, and returns when all are done (rethrowing the first exception a chunk threw);
    /// false, having run nothing, when the workers are taken (the caller then runs the range itself).
    /// </summary>
    public bool TryRun(long count, long chunks, Action<long, long> body)
    {
        if (isWorker || Interlocked.CompareExchange(ref busy, 1, 0) != 0) return false;
        var job = new Job(count, chunks, body);
        try
        {
            Volatile.Write(ref current, job);
            int asleep = Volatile.Read(ref sleepers);
            if (asleep > 0) wake.Release((int)Math.Min(asleep, chunks - 1));
            job.RunChunks();
            var spin = new SpinWait();
            while (Volatile.Read(ref job.Pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
        }
        finally
        {
            Volatile.Write(ref current, null);
            Volatile.Write(ref busy, 0);
        }
        if (job.Failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        return true;
    }

    private void Work()
    {
        isWorker = true;
        Job? last = null;
        while (true)
        {
            long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            // SpinWait yields the core once it has spun a little: a silo's request threads, runnable beside an idle
            // worker, get it back rather than wait out the spin.
            var spinner = new SpinWait();
            Job? job;
            while ((job = Volatile.Read(ref current)) is null || ReferenceEquals(job, last))
            {
                if (Stopwatch.GetTimestamp() < spinUntil)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                    continue;
                }
                Interlocked.Increment(ref sleepers);
                // A job published between the check above and this count may not have released us: look once more.
                job = Volatile.Read(ref current);
                if (job is null || ReferenceEquals(job, last)) wake.Wait();
                Interlocked.Decrement(ref sleepers);
                spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            }
            last = job;
            job.RunChunks();
        }
    }

    /// <summary>One parallel call: its chunks are claimed by counter, so a worker that arrives late (even after the
    /// job ended) takes only what is left, which may be nothing.</summary>
    private sealed class Job
    {
        private readonly long count;
        private readonly long chunks;
        private readonly Action<long, long> body;
        private long next;

        // Chunks not yet finished (the caller waits for 0), and the first exception one threw. Fields, for Interlocked.
        public long Pending;
        public Exception? Failure;

        public Job(long count, long chunks, Action<long, long> body) => (this.count, this.chunks, this.body, Pending) = (count, chunks, body, chunks);

        public void RunChunks()
        {
            long chunk;
            while ((chunk = Interlocked.Increment(ref next) - 1) < chunks)
            {
                long start = count * chunk / chunks, end = count * (chunk + 1) / chunks;
                try
                {
                    if (end > start) body(start, end);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref Failure, e, null);
                }
                finally
                {
                    Interlocked.Decrement(ref Pending);
                }
            }
        }
    }
}
