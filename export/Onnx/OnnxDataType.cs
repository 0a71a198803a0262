namespace Graphport.Onnx;

/// <summary>TensorProto.DataType: the element types an ONNX tensor can hold (numbers as in onnx.proto).</summary>
public enum OnnxDataType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
}

/// <summary>Conversions between ONNX element types and Graphport dtypes.</summary>
public static class OnnxDataTypes
{
    /// <summary>The dtype holding this ONNX type, or null where Graphport has none (strings, complex, unsigned wider than 8 bits).</summary>
    public static DType? ToDType(this OnnxDataType type) => type switch
    {
        OnnxDataType.Float => DType.Float32,
        OnnxDataType.Double => DType.Float64,
        OnnxDataType.Float16 => DType.Float16,
        OnnxDataType.BFloat16 => DType.BFloat16,
        OnnxDataType.Int64 => DType.Int64,
        OnnxDataType.Int32 => DType.Int32,
        OnnxDataType.Int8 => DType.Int8,
        OnnxDataType.UInt8 => DType.UInt8,
        OnnxDataType.Bool => DType.Bool,
        _ => null,
    };

    /// <summary>"float32", "int64", ... as ONNX tools print element types.</summary>
    public static string Describe(this OnnxDataType type) => type switch
    {
        OnnxDataType.Float => "float32",
        OnnxDataType.Double => "float64",
        OnnxDataType.Float16 => "float16",
        OnnxDataType.BFloat16 => "bfloat16",
        _ => type.ToString().ToLowerInvariant(),
    };
}
