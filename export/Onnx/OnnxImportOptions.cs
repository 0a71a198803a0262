namespace Graphport.Onnx;

/// <summary>How an ONNX model's inputs are shaped while it is traced into a program.</summary>
public sealed class OnnxImportOptions
{
    /// <summary>
    /// Example sizes for dims the model leaves open, keyed by the dim's name (its dim_param, e.g. "batch") or by
    /// "input:axis" (e.g. "x:2"). A dim with no entry traces at <see cref="DefaultDimSize"/>.
    /// </summary>
    public Dictionary<string, long> DimSizes { get; } = new(StringComparer.Ordinal);

    /// <summary>Fix every open dim at its example size (a static program) instead of keeping it symbolic.</summary>
    public bool StaticShapes { get; init; }

    /// <summary>The example size of an open dim with no entry in <see cref="DimSizes"/>. At least 2, so it stays symbolic.</summary>
    public long DefaultDimSize { get; init; } = 2;
}
