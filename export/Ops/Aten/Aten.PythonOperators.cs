using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The ops Python's operators on tensors record when torch's export keeps them as written: <c>a &amp; b</c>,
/// <c>a | b</c> and <c>a ^ b</c> are <c>__and__</c>, <c>__or__</c> and <c>__xor__</c> (transformers combines its
/// padding and causal masks this way), each the bitwise op of the same name.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload DunderAndTensor = Composite("__and__.Tensor(Tensor self, Tensor other) -> Tensor", a => Call(BitwiseAnd, a[0], a[1]));
    public static readonly OpOverload DunderAndScalar = Composite("__and__.Scalar(Tensor self, Scalar other) -> Tensor", a => Call(BitwiseAndScalar, a[0], a[1]));
    public static readonly OpOverload DunderOrTensor = Composite("__or__.Tensor(Tensor self, Tensor other) -> Tensor", a => Call(BitwiseOr, a[0], a[1]));
    public static readonly OpOverload DunderOrScalar = Composite("__or__.Scalar(Tensor self, Scalar other) -> Tensor", a => Call(BitwiseOrScalar, a[0], a[1]));
    public static readonly OpOverload DunderXorTensor = Composite("__xor__.Tensor(Tensor self, Tensor other) -> Tensor", a => Call(BitwiseXor, a[0], a[1]));
    public static readonly OpOverload DunderXorScalar = Composite("__xor__.Scalar(Tensor self, Scalar other) -> Tensor", a => Call(BitwiseXorScalar, a[0], a[1]));
}
