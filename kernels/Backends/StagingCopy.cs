namespace Graphport.Kernels.Backends;

/// <summary>
/// Copies between managed arrays and pinned staging memory, split across a few threads when large. One thread
/// copies about 8 GB/s here, so a batch's megabytes in and out were most of what a call spent on the host (U-Net at
/// batch 32 on an H200: 0.32 ms of its 0.925, its device replay 0.604); below a megabyte the thread pool's wake-up
/// costs more than it saves, so small copies stay on the caller's thread.
/// </summary>
public static class StagingCopy
{
    /// <summary>Copies of at least this many bytes are split.</summary>
    public const int ParallelFromBytes = 1 << 20;

    // A few threads reach most of a socket's copy bandwidth; more would take cores from concurrent calls.
    private const int MaxThreads = 4;
    private const int MinChunkBytes = 256 << 10;

    public static unsafe void Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException($"The destination has {destination.Length} bytes for {source.Length}.", nameof(destination));
        int threads = Math.Min(Math.Min(MaxThreads, Environment.ProcessorCount), source.Length / MinChunkBytes);
        if (source.Length < ParallelFromBytes || threads < 2)
        {
            source.CopyTo(destination);
            return;
        }
        // fixed pins both for the whole (synchronous) Parallel.For, whose workers copy disjoint ranges.
        fixed (byte* from = source)
        fixed (byte* to = destination)
        {
            nint s = (nint)from, d = (nint)to;
            long length = source.Length;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            {
                long start = length * i / threads, end = length * (i + 1) / threads;
                System.Buffer.MemoryCopy((void*)(s + (nint)start), (void*)(d + (nint)start), end - start, end - start);
            });
        }
    }
}
