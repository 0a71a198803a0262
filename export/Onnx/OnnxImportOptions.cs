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

    /// <summary>
    /// Inputs fixed at import, by name: the program no longer takes them, and the model is traced with these values
    /// as constants, as torch.export specializes a Python number argument. Control flow that reads them is then
    /// decided at import (Silero VAD's sample rate input picks its 16 kHz branch with <c>["sr"] = [16000]</c>).
    /// Values are given as numbers in row-major order and converted to the input's element type; an input declared
    /// with a fixed shape takes as many values as that shape holds, a scalar input one.
    /// </summary>
    public Dictionary<string, double[]> InputValues { get; } = new(StringComparer.Ordinal);
}
