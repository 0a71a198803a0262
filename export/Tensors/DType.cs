namespace Graphport;

/// <summary>The element types a tensor can hold.</summary>
public enum DType
{
    Float32,
    Float64,
    Float16,
    BFloat16,
    Int64,
    Int32,
    Int8,
    UInt8,
    Bool,

    /// <summary>Two float32s per element (<c>torch.complex64</c>, <c>torch.cfloat</c>); elements are <see cref="ComplexFloat"/>.</summary>
    Complex64,

    /// <summary>Two float64s per element (<c>torch.complex128</c>, <c>torch.cdouble</c>); elements are <see cref="System.Numerics.Complex"/>.</summary>
    Complex128,
}
