namespace Graphport;

/// <summary>Spellings of dtypes in torch's error messages ("Long", "Float").</summary>
internal static class DTypeNames
{
    public static string Capitalized(DType t) => t switch
    {
        DType.Float32 => "Float",
        DType.Float64 => "Double",
        DType.Float16 => "Half",
        DType.BFloat16 => "BFloat16",
        DType.Int64 => "Long",
        DType.Int32 => "Int",
        DType.Int8 => "Char",
        DType.UInt8 => "Byte",
        DType.Complex64 => "ComplexFloat",
        DType.Complex128 => "ComplexDouble",
        _ => "Bool",
    };
}
