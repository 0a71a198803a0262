namespace Graphport.Tests.Onnx;

/// <summary>
/// How far a float result may lie from ONNX Runtime's: |ours - ort| &lt;= Atol + Rtol * |ort|. Integer and bool
/// outputs are always compared exactly, whatever the tolerance.
/// </summary>
public readonly record struct Tolerance(double Rtol, double Atol)
{
    /// <summary>
    /// float32: two implementations of the same math differ by rounding order, a few ulps (2^-24 each) relative; the
    /// absolute floor covers sums that cancel to near zero (a dot product of a few dozen unit-sized terms).
    /// </summary>
    public static Tolerance Float32 { get; } = new(1e-4, 1e-5);

    public override string ToString() => $"rtol {Rtol:G3}, atol {Atol:G3}";
}
