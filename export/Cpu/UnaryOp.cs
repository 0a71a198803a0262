namespace Graphport.Cpu;

/// <summary>Parameterless elementwise functions of floating tensors, named after their aten ops.</summary>
public enum UnaryOp
{
    Neg,
    Abs,
    Exp,
    Log,
    Log1p,
    Expm1,
    Sqrt,
    Rsqrt,
    Sin,
    Cos,
    Tan,
    Tanh,
    Sigmoid,
    Relu,
    /// <summary>Exact GELU: x·Φ(x) = 0.5·x·(1 + erf(x/√2)).</summary>
    Gelu,
    /// <summary>GELU with approximate='tanh': 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    GeluTanh,
    Silu,
    Erf,
    Reciprocal,
    Floor,
    Ceil,
    /// <summary>Round half to even, as torch.round.</summary>
    Round,
    Trunc,
    /// <summary>-1, 0 or 1; NaN maps to 0 as in torch's CPU kernel.</summary>
    Sign,
    Hardswish,
    Hardsigmoid,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Asinh,
    Acosh,
    Atanh,
    Log10,
}
