using System.Globalization;
using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// A pooling layer's kernel size, stride, padding or dilation: one number for every spatial dim (torch's
/// <c>kernel_size=3</c>) or one per dim (<c>kernel_size=(3, 2)</c>). Converts from a long, a tuple of two or three,
/// or an array, and prints as torch prints what the user passed.
/// </summary>
public readonly struct PoolSize : IEquatable<PoolSize>
{
    private readonly long[]? perDim;
    private readonly long single;

    public PoolSize(long value) => single = value;

    public PoolSize(params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new ArgumentException("A pooling size needs at least one number.", nameof(values));
        perDim = [.. values];
    }

    public static implicit operator PoolSize(long value) => new(value);

    public static implicit operator PoolSize((long, long) values) => new(values.Item1, values.Item2);

    public static implicit operator PoolSize((long, long, long) values) => new(values.Item1, values.Item2, values.Item3);

    public static implicit operator PoolSize(long[] values) => new(values);

    /// <summary>Whether one number was given for every dim (printed bare, not as a tuple).</summary>
    public bool IsUniform => perDim is null;

    /// <summary>
    /// One number per spatial dim of a <paramref name="dims"/>-D pool; a tuple of another length fails naming the
    /// layer and argument.
    /// </summary>
    public long[] For(int dims, string layer, string argument)
    {
        if (perDim is null) return Enumerable.Repeat(single, dims).ToArray();
        if (perDim.Length != dims)
            throw new ArgumentException($"{layer}: {argument} must be one number or {dims} numbers (one per spatial dim), got {Repr()}.", argument);
        return [.. perDim];
    }

    /// <summary>As Python prints the value passed: <c>3</c>, <c>(3, 2)</c>, <c>(3,)</c>.</summary>
    public string Repr() => perDim is null ? single.ToString(CultureInfo.InvariantCulture) : PythonRepr.Tuple(perDim);

    public bool Equals(PoolSize other) =>
        perDim is null ? other.perDim is null && single == other.single : other.perDim is not null && perDim.SequenceEqual(other.perDim);

    public override bool Equals(object? obj) => obj is PoolSize other && Equals(other);

    public override int GetHashCode() => perDim is null ? single.GetHashCode() : perDim.Aggregate(17, (h, v) => h * 31 + v.GetHashCode());

    public static bool operator ==(PoolSize left, PoolSize right) => left.Equals(right);

    public static bool operator !=(PoolSize left, PoolSize right) => !left.Equals(right);

    public override string ToString() => Repr();
}
