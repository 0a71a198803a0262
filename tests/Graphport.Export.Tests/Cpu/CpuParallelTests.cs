using System.Collections.Concurrent;
using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

/// <summary>
/// CpuParallel.For on the kernel workers: every index of the range is run exactly once whatever the split, from any
/// number of callers at once and from inside another call's chunk; a chunk's exception reaches the caller as it was
/// thrown; and with more than one core the chunks really run on more than one thread.
/// </summary>
[Collection(KernelWorkersCollection.Name)]
public class CpuParallelTests
{
    [Fact]
    public void Every_index_runs_exactly_once_in_disjoint_chunks()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            long count = rng.Next(1, 5000);
            double cost = rng.NextDouble() < 0.5 ? rng.Next(1, 10) : rng.Next(1000, 200_000);
            var hits = new int[count];
            var chunks = new ConcurrentBag<(long Start, long End)>();
            CpuParallel.For(count, cost, (start, end) =>
            {
                chunks.Add((start, end));
                for (long i = start; i < end; i++) Interlocked.Increment(ref hits[i]);
            });
            Assert.All(hits, h => Assert.Equal(1, h));
            Assert.All(chunks, c => Assert.True(c.Start < c.End, $"empty chunk [{c.Start}, {c.End})"));
            Assert.Equal(count, chunks.Sum(c => c.End - c.Start));
        }
    }

    [Fact]
    public void Callers_on_many_threads_and_calls_inside_a_chunk_each_get_their_whole_range()
    {
        const int callers = 8, count = 3000;
        var totals = new long[callers];
        Parallel.For(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers }, caller =>
        {
            for (int round = 0; round < 20; round++)
            {
                long sum = 0;
                CpuParallel.For(count, 100_000, (start, end) =>
                {
                    // A chunk that splits again runs its inner range itself when the workers are taken.
                    long inner = 0;
                    CpuParallel.For(end - start, 100_000, (s, e) => Interlocked.Add(ref inner, e - s));
                    Interlocked.Add(ref sum, inner);
                });
                totals[caller] += sum;
            }
        });
        Assert.All(totals, t => Assert.Equal(20L * count, t));
    }

    [Fact]
    public void A_chunks_exception_reaches_the_caller_as_thrown_and_the_workers_keep_working()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() => CpuParallel.For(64, 1_000_000, (start, end) =>
        {
            if (start <= 40 && 40 < end) throw new InvalidOperationException("index 40 is bad");
        }));
        Assert.Equal("index 40 is bad", thrown.Message);

        long covered = 0;
        CpuParallel.For(64, 1_000_000, (start, end) => Interlocked.Add(ref covered, end - start));
        Assert.Equal(64, covered);
    }

    [Fact]
    public void Every_core_gets_as_many_chunks_as_the_others()
    {
        int workers = Environment.ProcessorCount;
        if (workers < 2) return;
        // Work worth 1 to 4·cores - 1 chunks at the threshold: one chunk more on one core than another leaves that core
        // running alone at the end of the op (3 chunks on 2 cores: a third of it).
        for (long wanted = 1; wanted < 4L * workers; wanted++)
        {
            const long count = 100_000;
            double costPerItem = (wanted + 0.5) * CpuParallel.MinParallelWork / count;
            var chunks = new ConcurrentBag<long>();
            CpuParallel.For(count, costPerItem, (start, end) => chunks.Add(end - start));
            Assert.True(chunks.Count % workers == 0 || chunks.Count == 1,
                $"work worth {wanted} chunks was split into {chunks.Count} on {workers} cores");
            Assert.True(chunks.Max() - chunks.Min() <= 1, $"chunks of {chunks.Min()} to {chunks.Max()} items");
        }
    }

    [Fact]
    public void With_more_than_one_core_the_chunks_run_on_more_than_one_thread()
    {
        if (Environment.ProcessorCount < 2) return;
        // Each chunk waits (up to 10 s) for a chunk on another thread to start: the caller alone would wait out every
        // timeout, so the workers must take chunks while the caller holds one.
        var threads = new ConcurrentDictionary<int, bool>();
        using var secondThread = new ManualResetEventSlim();
        CpuParallel.For(Environment.ProcessorCount * 4, 1_000_000, (start, end) =>
        {
            threads[Environment.CurrentManagedThreadId] = true;
            if (threads.Count > 1) secondThread.Set();
            secondThread.Wait(TimeSpan.FromSeconds(10));
        });
        Assert.True(threads.Count > 1, "every chunk ran on the calling thread");
    }

    [Theory]
    [InlineData(null, 500)]
    [InlineData("", 500)]
    [InlineData("0", 0)]
    [InlineData("2000", 2000)]
    [InlineData("100000", 100000)]
    [InlineData("100001", 500)]
    [InlineData("-5", 500)]
    [InlineData("fast", 500)]
    public void The_workers_spin_as_GRAPHPORT_KERNEL_SPIN_US_says_and_500_microseconds_otherwise(string? setting, long expected)
        => Assert.Equal(expected, KernelWorkers.SpinMicroseconds(setting));
}
