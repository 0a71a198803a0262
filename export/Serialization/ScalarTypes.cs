namespace Graphport.Serialization;

/// <summary>The schema's ScalarType numbers for each dtype (torch's _TORCH_TO_SERIALIZE_DTYPE), and back.</summary>
internal static class ScalarTypes
{
    public static int Of(DType dtype) => dtype switch
    {
        DType.UInt8 => 1,
        DType.Int8 => 2,
        DType.Int32 => 4,
        DType.Int64 => 5,
        DType.Float16 => 6,
        DType.Float32 => 7,
        DType.Float64 => 8,
        DType.Bool => 12,
        DType.BFloat16 => 13,
        DType.Complex64 => 10,
        DType.Complex128 => 11,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "This dtype has no schema ScalarType."),
    };

    public static bool TryParse(long scalarType, out DType dtype)
    {
        DType? found = scalarType switch
        {
            1 => DType.UInt8,
            2 => DType.Int8,
            4 => DType.Int32,
            5 => DType.Int64,
            6 => DType.Float16,
            7 => DType.Float32,
            8 => DType.Float64,
            12 => DType.Bool,
            13 => DType.BFloat16,
            10 => DType.Complex64,
            11 => DType.Complex128,
            _ => null,
        };
        dtype = found.GetValueOrDefault();
        return found is not null;
    }

    /// <summary>The schema's name for a ScalarType number, for messages about dtypes Graphport lacks.</summary>
    public static string Name(long scalarType) => scalarType switch
    {
        0 => "UNKNOWN",
        3 => "SHORT (int16)",
        9 => "COMPLEXHALF",
        28 => "UINT16",
        29 => "FLOAT8E4M3FN",
        30 => "FLOAT8E5M2",
        31 => "FLOAT8E4M3FNUZ",
        32 => "FLOAT8E5M2FNUZ",
        33 => "FLOAT8E8M0FNU",
        34 => "UINT32",
        35 => "UINT64",
        _ => TryParse(scalarType, out var d) ? d.TorchName() : $"ScalarType {scalarType}",
    };

    /// <summary>Layout.Strided: the only layout Graphport tensors have.</summary>
    public const int StridedLayout = 7;
}
