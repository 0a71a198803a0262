using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Further overloads of ops Graphport has in another form, as torch's export records them: binary min/max,
/// rsub and masked_fill with tensors, clamp_min/clamp_max with tensor bounds, the forms of to(), reshape_as, all over
/// one dim, norm with p and dims, ravel.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload MinOther = Composite("min.other(Tensor self, Tensor other) -> Tensor", MinOtherBody);
    public static readonly OpOverload MaxOther = Composite("max.other(Tensor self, Tensor other) -> Tensor", MaxOtherBody);
    public static readonly OpOverload RsubTensor = Composite("rsub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor", RsubTensorBody);
    public static readonly OpOverload MaskedFillTensor = Composite("masked_fill.Tensor(Tensor self, Tensor mask, Tensor value) -> Tensor", MaskedFillTensorBody);
    public static readonly OpOverload ClampMinTensor = Composite("clamp_min.Tensor(Tensor self, Tensor min) -> Tensor", ClampMinTensorBody);
    public static readonly OpOverload ClampMaxTensor = Composite("clamp_max.Tensor(Tensor self, Tensor max) -> Tensor", ClampMaxTensorBody);
    public static readonly OpOverload ToDTypeLayout = Composite("to.dtype_layout(Tensor(a) self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)", ToDTypeLayoutBody);
    public static readonly OpOverload ToDevice = Composite("to.device(Tensor(a) self, Device device, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)", ToDeviceBody);
    public static readonly OpOverload ToOther = Composite("to.other(Tensor(a) self, Tensor other, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)", ToOtherBody);
    public static readonly OpOverload ReshapeAs = Composite("reshape_as(Tensor(a) self, Tensor other) -> Tensor(a)", ReshapeAsBody);
    public static readonly OpOverload AllDim = Composite("all.dim(Tensor self, int dim, bool keepdim=False) -> Tensor", AllDimBody);
    public static readonly OpOverload NormScalarOptDim = Composite("norm.ScalarOpt_dim(Tensor self, Scalar? p, int[1] dim, bool keepdim=False) -> Tensor", NormScalarOptDimBody);
    public static readonly OpOverload NormScalar = Composite("norm.Scalar(Tensor self, Scalar p=2) -> Tensor", NormScalarBody);
    public static readonly OpOverload Ravel = Composite("ravel(Tensor(a) self) -> Tensor(a)", RavelBody);

    private static object? MinOtherBody(object?[] a) => Call(Minimum, a[0], a[1]);

    private static object? MaxOtherBody(object?[] a) => Call(Maximum, a[0], a[1]);

    private static object? RsubTensorBody(object?[] a) => Call(Sub, a[1], Scaled(T0(a), a[2]));

    // value (a 0-dim tensor) where mask is true; the value takes self's dtype, as masked_fill writes into self.
    private static object? MaskedFillTensorBody(object?[] a)
    {
        var value = Tn(a, 2);
        if (value.Ndim != 0) throw new ArgumentException($"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.Ndim} dimension(s).");
        return Call(Where, a[1], AsDType(value, T0(a).DType), a[0]);
    }

    private static object? ClampMinTensorBody(object?[] a) => Call(ClampTensor, a[0], a[1], null);

    private static object? ClampMaxTensorBody(object?[] a) => Call(ClampTensor, a[0], null, a[1]);

    // The device is the host (one CPU storage); only the dtype changes anything, or copy asks for a new tensor.
    private static object? ToDTypeLayoutBody(object?[] a) => Converted(T0(a), (DType?)a[1], a[6] is true);

    private static object? ToDeviceBody(object?[] a) => Converted(T0(a), (DType?)a[2], a[4] is true);

    private static object? ToOtherBody(object?[] a) => Converted(T0(a), Tn(a, 1).DType, a[3] is true);

    private static Tensor Converted(Tensor self, DType? dtype, bool copy) =>
        dtype is { } to && to != self.DType ? CallKw(ToCopy, [self], ("dtype", to)) : copy ? Call(Clone, self) : Call(Alias, self);

    private static object? ReshapeAsBody(object?[] a) => Call(Reshape, a[0], Tn(a, 1).Shape.AsArray().ToArray());

    // Every element along dim is true: none is false.
    private static object? AllDimBody(object?[] a) => Call(LogicalNot, Call(AnyDim, Call(LogicalNot, a[0]), a[1], a[2]));

    private static object? NormScalarOptDimBody(object?[] a) => Call(LinalgVectorNorm, a[0], a[1] ?? 2L, Longs(a[2]), a[3]);

    private static object? NormScalarBody(object?[] a) => Call(LinalgVectorNorm, a[0], a[1]);

    private static object? RavelBody(object?[] a) => Call(Reshape, a[0], new SymInt[] { -1 });
}
