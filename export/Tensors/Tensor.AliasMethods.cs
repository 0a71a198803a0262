namespace Graphport;

/// <summary>
/// The method names torch offers beside the ones above, for code ported as written: NumPy-style aliases (absolute,
/// arccos, multiply, divide, greater, ...), comparisons and arithmetic as methods, conversions (byte, char,
/// broadcast_to, reshape_as), splits (hsplit, vsplit, dsplit) and the matrix methods (det, inverse, pinverse, qr, ...).
/// </summary>
public partial class Tensor
{
    public Tensor Absolute() => Abs();
    public Tensor Arccos() => Acos();
    public Tensor Arcsin() => Asin();
    public Tensor Arctan() => Atan();
    public Tensor Arccosh() => Acosh();
    public Tensor Arcsinh() => Asinh();
    public Tensor Arctanh() => Atanh();
    public Tensor Arctan2(Tensor other) => Atan2(other);
    public Tensor Negative() => Neg();

    /// <summary>The tensor itself (torch.positive; refused for bool).</summary>
    public Tensor Positive() => DType == DType.Bool ? throw new ArgumentException("The `+` operator, on a bool tensor is not supported.") : this;

    /// <summary>Rounds toward zero (torch.fix, trunc's alias).</summary>
    public Tensor Fix() => Trunc();

    public Tensor Add(Tensor other, double alpha = 1) => Aten.CallKw(Aten.Add, [this, other], ("alpha", Alpha(alpha)));
    public Tensor Add(double other) => this + other;
    public Tensor Sub(Tensor other, double alpha = 1) => Aten.CallKw(Aten.Sub, [this, other], ("alpha", Alpha(alpha)));
    public Tensor Sub(double other) => this - other;
    public Tensor Subtract(Tensor other, double alpha = 1) => Sub(other, alpha);
    public Tensor Mul(Tensor other) => this * other;
    public Tensor Mul(double other) => this * other;
    public Tensor Multiply(Tensor other) => this * other;

    /// <summary>Division; roundingMode "trunc" or "floor" rounds the quotient (null: true division).</summary>
    public Tensor Div(Tensor other, string? roundingMode = null) => roundingMode is null ? this / other : Aten.CallKw(Aten.DivMode, [this, other], ("rounding_mode", roundingMode));
    public Tensor Div(double other) => this / other;
    public Tensor Divide(Tensor other, string? roundingMode = null) => Div(other, roundingMode);
    public Tensor TrueDivide(Tensor other) => this / other;

    public Tensor Eq(double other) => this == other;
    public Tensor Ne(double other) => this != other;
    public Tensor NotEqual(Tensor other) => this != other;
    public Tensor Gt(Tensor other) => this > other;
    public Tensor Gt(double other) => this > other;
    public Tensor Ge(Tensor other) => this >= other;
    public Tensor Ge(double other) => this >= other;
    public Tensor Lt(Tensor other) => this < other;
    public Tensor Lt(double other) => this < other;
    public Tensor Le(Tensor other) => this <= other;
    public Tensor Le(double other) => this <= other;
    public Tensor Greater(Tensor other) => this > other;
    public Tensor GreaterEqual(Tensor other) => this >= other;
    public Tensor Less(Tensor other) => this < other;
    public Tensor LessEqual(Tensor other) => this <= other;

    /// <summary>True when both have the same shape and elements (torch.equal): a C# bool, read from the data.</summary>
    public bool Equal(Tensor other) => Shape.Equals(other.Shape) && (Numel() == 0 || (this == other).All().Item<bool>());

    /// <summary>self where condition holds, other elsewhere (x.where(condition, y)).</summary>
    public Tensor Where(Tensor condition, Tensor other) => Torch.Where(condition, this, other);
    public Tensor Where(Tensor condition, double other) => Torch.Where(condition, this, other);

    public Tensor Byte() => To(DType.UInt8);
    public Tensor Char() => To(DType.Int8);
    public Tensor BroadcastTo(params long[] shape) => Expand(shape);
    public Tensor ReshapeAs(Tensor other) => Aten.Call(Aten.Reshape, this, other.Shape.AsArray());
    public long Ndimension() => Ndim;
    public long Nelement() => NumelLong;

    /// <summary>Whether the dtype holds negative numbers.</summary>
    public bool IsSigned() => DType is not (DType.UInt8 or DType.Bool);

    /// <summary>Split along dim 1 (dim 0 for 1-D tensors) into sections equal parts.</summary>
    public Tensor[] Hsplit(long sections) => TensorSplit(sections, Ndim == 1 ? 0 : 1);
    public Tensor[] Vsplit(long sections) => Ndim < 2 ? throw new ArgumentException($"torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with {Ndim} dimensions!") : TensorSplit(sections, 0);
    public Tensor[] Dsplit(long sections) => Ndim < 3 ? throw new ArgumentException($"torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with {Ndim} dimensions!") : TensorSplit(sections, 2);

    public Tensor Det() => TorchLinalg.Det(this);
    public Tensor Logdet() => Torch.Logdet(this);
    public (Tensor Sign, Tensor LogAbsDet) Slogdet() => TorchLinalg.Slogdet(this);
    public Tensor Inverse() => TorchLinalg.Inv(this);
    public Tensor Pinverse(double rcond = 1e-15) => Aten.Call(Aten.LinalgPinvRcond, this, rcond, false);
    public Tensor MatrixPower(long n) => TorchLinalg.MatrixPower(this, n);
    public Tensor MatrixExp() => TorchLinalg.MatrixExp(this);
    public Tensor CholeskySolve(Tensor factor, bool upper = false) => Torch.CholeskySolve(this, factor, upper);
    public (Tensor Q, Tensor R) Qr(bool some = true) => TorchLinalg.Qr(this, some ? "reduced" : "complete");
}
