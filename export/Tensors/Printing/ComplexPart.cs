namespace Graphport;

/// <summary>
/// The real or the imaginary parts of a complex tensor's elements, seen as a real tensor of the parts' dtype, so
/// each part is formatted by the same rules as a float tensor (torch formats <c>t.real</c> and <c>t.imag</c>).
/// </summary>
internal sealed class ComplexPart(ITensorElements complex, bool imaginary) : ITensorElements
{
    public DType DType => complex.DType.ToReal();

    public long[] Shape => complex.Shape;

    public double GetDouble(long flatIndex)
    {
        var value = complex.GetComplex(flatIndex);
        return imaginary ? value.Imaginary : value.Real;
    }

    public long GetInt64(long flatIndex) => (long)GetDouble(flatIndex);

    public bool GetBool(long flatIndex) => GetDouble(flatIndex) != 0;
}
