using System.Runtime.InteropServices;

namespace Graphport.Cpu;

/// <summary>
/// A 64-byte-aligned native buffer for GEMM packing, kept per thread between calls: allocating a few hundred KiB afresh
/// on every call maps (and page-faults in) new memory each time. Taking a buffer empties the thread's slot, so a
/// reentrant call on the same thread allocates its own; the finalizer frees the memory once the thread is gone.
/// </summary>
internal sealed unsafe class PackBuffer : IDisposable
{
    [ThreadStatic] private static PackBuffer? cachedA;
    [ThreadStatic] private static PackBuffer? cachedB;

    private readonly bool forA;
    private void* memory;
    private nuint capacity;

    private PackBuffer(bool forA) => this.forA = forA;

    /// <summary>The buffer's memory, at least as many bytes as <see cref="Take"/> asked for.</summary>
    public void* Pointer => memory;

    /// <summary>This thread's buffer for packing A (or B), grown to at least <paramref name="bytes"/>; Dispose gives it back.</summary>
    public static PackBuffer Take(bool forA, nuint bytes)
    {
        var buffer = (forA ? cachedA : cachedB) ?? new PackBuffer(forA);
        if (forA) cachedA = null;
        else cachedB = null;
        if (buffer.capacity < bytes)
        {
            NativeMemory.AlignedFree(buffer.memory);
            buffer.memory = NativeMemory.AlignedAlloc(bytes, 64);
            buffer.capacity = bytes;
        }
        return buffer;
    }

    /// <summary>Puts the buffer back in this thread's slot (the thread that disposes it keeps it).</summary>
    public void Dispose()
    {
        if (forA) cachedA = this;
        else cachedB = this;
    }

    ~PackBuffer() => NativeMemory.AlignedFree(memory);
}
