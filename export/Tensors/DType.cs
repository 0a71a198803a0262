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
}
