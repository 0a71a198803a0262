namespace Graphport;

/// <summary>The sizes of a tensor (torch.Size); entries are <see cref="SymInt"/>s, symbolic while tracing.</summary>
public sealed class Shape : IReadOnlyList<SymInt>, IEquatable<Shape>
{
    private readonly SymInt[] dims;

    public Shape(params SymInt[] dims) => this.dims = dims;

    public SymInt this[int index]
    {
        get
        {
            int n = dims.Length;
            int i = index < 0 ? index + n : index;
            if (i < 0 || i >= n)
                throw new IndexOutOfRangeException($"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {index})");
            return dims[i];
        }
    }

    public int Count => dims.Length;

    internal SymInt[] AsArray() => dims;

    /// <summary>Concrete sizes; specializes symbolic ones (recording guards while tracing).</summary>
    public long[] ToLongs() => dims.Select(d => (long)d).ToArray();

    public IEnumerator<SymInt> GetEnumerator() => ((IEnumerable<SymInt>)dims).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => dims.GetEnumerator();

    public bool Equals(Shape? other) => other is not null && dims.AsSpan().SequenceEqual(other.dims);

    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in dims) h.Add(d);
        return h.ToHashCode();
    }

    public override string ToString() => $"[{string.Join(", ", dims.Select(d => d.ToString()))}]";
}
