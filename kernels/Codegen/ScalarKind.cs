namespace Graphport.Kernels.Codegen;

/// <summary>
/// The type a kernel computes in. Storage dtypes map onto these: float16, bfloat16 and float32 all compute in
/// float (loads widen, stores round), integers in int64, bool in bool.
/// </summary>
public enum ScalarKind
{
    Bool,
    Int64,
    Float,
    Double,
}

public static class ScalarKinds
{
    public static ScalarKind Of(DType dtype) => dtype switch
    {
        DType.Float32 or DType.Float16 or DType.BFloat16 => ScalarKind.Float,
        DType.Float64 => ScalarKind.Double,
        DType.Bool => ScalarKind.Bool,
        _ => ScalarKind.Int64,
    };

    public static bool IsFloating(this ScalarKind kind) => kind is ScalarKind.Float or ScalarKind.Double;

    /// <summary>The wider of two kinds (bool &lt; int64 &lt; float &lt; double), as type promotion picks.</summary>
    public static ScalarKind Widest(ScalarKind a, ScalarKind b) => (ScalarKind)Math.Max((int)a, (int)b);

    public static string CType(this ScalarKind kind) => kind switch
    {
        ScalarKind.Bool => "bool",
        ScalarKind.Int64 => "long long",
        ScalarKind.Float => "float",
        _ => "double",
    };
}
