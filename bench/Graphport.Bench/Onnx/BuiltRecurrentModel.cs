using Graphport.Tests.Onnx;

namespace Graphport.Bench;

/// <summary>
/// An LSTM layer as ONNX exporters write nn.LSTM (one LSTM node, W, R and B initializers, seeded random weights),
/// built here because none of the real models runs a long sequence: 100 steps of a batch of one, 64 inputs, 128
/// hidden units. Written to a temporary file once, for both sides to load.
/// </summary>
public static class BuiltRecurrentModel
{
    public const long Steps = 100, Batch = 1, InputSize = 64, Hidden = 128;

    private static readonly Lazy<string> path = new(() =>
    {
        var random = new Random(128);
        var model = new OnnxModelBuilder(14)
            .Input("x", ElemType.Float, Steps, Batch, InputSize)
            .Initializer("w", RandomData.Floats(random, (int)(4 * Hidden * InputSize), -0.2f, 0.2f), 1, 4 * Hidden, InputSize)
            .Initializer("r", RandomData.Floats(random, (int)(4 * Hidden * Hidden), -0.2f, 0.2f), 1, 4 * Hidden, Hidden)
            .Initializer("b", RandomData.Floats(random, (int)(8 * Hidden), -0.2f, 0.2f), 1, 8 * Hidden)
            .Node("LSTM", ["x", "w", "r", "b"], ["y", "y_h", "y_c"], OnnxAttr.Int("hidden_size", Hidden))
            .Output("y", ElemType.Float, [Steps, 1L, Batch, Hidden])
            .Output("y_h", ElemType.Float, [1L, Batch, Hidden])
            .Output("y_c", ElemType.Float, [1L, Batch, Hidden])
            .Build();
        string file = Path.Combine(Path.GetTempPath(), $"graphport-bench-lstm-{Environment.ProcessId}.onnx");
        System.IO.File.WriteAllBytes(file, model);
        return file;
    });

    /// <summary>The model file, written on first use.</summary>
    public static string File => path.Value;
}
