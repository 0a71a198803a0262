namespace Graphport.Onnx;

/// <summary>One dimension of a declared ONNX shape: a fixed size, a named symbolic size (dim_param), or unknown.</summary>
public readonly record struct OnnxDim(long? Value, string? Param)
{
    public bool IsFixed => Value is not null;

    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (Param is { Length: > 0 } p ? $"'{p}'" : "?");
}
