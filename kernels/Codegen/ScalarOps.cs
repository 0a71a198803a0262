namespace Graphport.Kernels.Codegen;

/// <summary>Elementwise functions of one value.</summary>
public enum UnaryOp
{
    Neg, Abs, Exp, Expm1, Log, Log1p, Log2, Log10, Sqrt, Rsqrt, Reciprocal,
    Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh, Asinh, Acosh, Atanh,
    Sigmoid, Erf, Erfc, Lgamma, I0, Relu, Gelu, GeluTanh, Floor, Ceil, Round, Trunc, Sign,
    LogicalNot, BitwiseNot, IsNan, IsInf,

    // What storing a value in a narrower dtype and loading it back gives (Exprs.Narrow): integers wrap as torch's
    // casts do, half-precision floats round to nearest even.
    WrapInt8, WrapUInt8, WrapInt32, RoundToFloat16, RoundToBFloat16,
}

/// <summary>Elementwise functions of two values.</summary>
public enum BinaryOp
{
    Add, Sub, Mul, Div, FloorDiv, TruncDiv, Pow, Maximum, Minimum, Atan2, Remainder, Fmod,
    Eq, Ne, Lt, Le, Gt, Ge, LogicalAnd, LogicalOr, LogicalXor, BitwiseAnd, BitwiseOr, BitwiseXor,
}

public static class ScalarOps
{
    public static bool IsComparison(this BinaryOp op) => op is BinaryOp.Eq or BinaryOp.Ne or BinaryOp.Lt or BinaryOp.Le or BinaryOp.Gt or BinaryOp.Ge;

    public static bool IsLogical(this BinaryOp op) => op is BinaryOp.LogicalAnd or BinaryOp.LogicalOr or BinaryOp.LogicalXor;
}
