using System.Buffers;

namespace Graphport.Cpu;

/// <summary>A pooled temporary buffer of exactly <c>length</c> elements, returned on Dispose.</summary>
internal readonly ref struct Scratch<T>
{
    private readonly T[] _array;
    public readonly Span<T> Span;

    public Scratch(int length)
    {
        _array = ArrayPool<T>.Shared.Rent(Math.Max(length, 1));
        Span = _array.AsSpan(0, length);
    }

    public void Dispose() => ArrayPool<T>.Shared.Return(_array);
}
