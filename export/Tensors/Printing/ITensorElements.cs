namespace Graphport;

/// <summary>
/// Read access to a tensor's elements, just enough for printing. Printing lives apart from any
/// concrete tensor type so that eager tensors, constants captured in a graph and test doubles all
/// print through the same code.
/// </summary>
public interface ITensorElements
{
    DType DType { get; }

    /// <summary>Sizes of each dimension; empty for a zero-dim tensor.</summary>
    long[] Shape { get; }

    /// <summary>
    /// The element at <paramref name="flatIndex"/> (row-major over <see cref="Shape"/>) of a
    /// floating-point tensor. float32, float16 and bfloat16 elements are expected widened exactly.
    /// </summary>
    double GetDouble(long flatIndex);

    /// <summary>The element at <paramref name="flatIndex"/> of an integer tensor.</summary>
    long GetInt64(long flatIndex);

    /// <summary>The element at <paramref name="flatIndex"/> of a bool tensor.</summary>
    bool GetBool(long flatIndex);

    /// <summary>The element at <paramref name="flatIndex"/> of a complex tensor (complex64 parts widened exactly).</summary>
    System.Numerics.Complex GetComplex(long flatIndex) => GetDouble(flatIndex);
}
