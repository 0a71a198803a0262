namespace Graphport.Kernels.Codegen;

/// <summary>
/// The type a kernel computes in. Storage dtypes map onto these: float16, bfloat16 and float32 all compute in
/// float (loads widen, stores round), integers in int64, bool in bool.
/// </summary>
public enum ValueKind
{
    Bool,
    Int64,
    Float,
    Double,
}

public static class ValueKinds
{
    public static ValueKind Of(DType dtype) => dtype switch
    {
        DType.Float32 or DType.Float16 or DType.BFloat16 => ValueKind.Float,
        DType.Float64 => ValueKind.Double,
        DType.Bool => ValueKind.Bool,
        _ => ValueKind.Int64,
    };

    public static bool IsFloating(this ValueKind kind) => kind is ValueKind.Float or ValueKind.Double;

    /// <summary>The wider of two kinds (bool &lt; int64 &lt; float &lt; double), as type promotion picks.</summary>
    public static ValueKind Widest(ValueKind a, ValueKind b) => (ValueKind)Math.Max((int)a, (int)b);

    public static string CType(this ValueKind kind) => kind switch
    {
        ValueKind.Bool => "bool",
        ValueKind.Int64 => "long long",
        ValueKind.Float => "float",
        _ => "double",
    };
}
