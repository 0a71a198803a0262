namespace Graphport.Cpu;

/// <summary>Elementwise functions of two same-shaped (broadcast-expanded) operands, named after their aten ops.</summary>
public enum BinaryOp
{
    Add,
    Sub,
    Mul,
    /// <summary>True division (floating types only).</summary>
    Div,
    /// <summary>div(rounding_mode='floor'); integer floor_divide.</summary>
    DivFloor,
    /// <summary>div(rounding_mode='trunc').</summary>
    DivTrunc,
    Pow,
    /// <summary>Elementwise max, NaN propagating.</summary>
    Maximum,
    /// <summary>Elementwise min, NaN propagating.</summary>
    Minimum,
    Atan2,
    /// <summary>C fmod: result has the sign of the dividend.</summary>
    Fmod,
    /// <summary>Python modulo: result has the sign of the divisor.</summary>
    Remainder,
    BitwiseAnd,
    BitwiseOr,
    BitwiseXor,
}
