using Graphport.Tests.Onnx;

namespace Graphport.Bench;

/// <summary>
/// A transformer's feed-forward block as ONNX Runtime's dynamic quantization (quantize_dynamic) writes it: each
/// linear layer a DynamicQuantizeLinear of the activations, a MatMulInteger with the int8 weight, the int32 sums cast
/// and scaled back, then the float bias; MiniLM's sizes (128 tokens, 384 → 1536 → 384) with seeded weights. Built
/// here because no quantized model comes from the registries; written to a temporary file once.
/// </summary>
public static class BuiltQuantizedModel
{
    public const long Tokens = 128, Width = 384, Inner = 1536;

    private static readonly Lazy<string> path = new(() =>
    {
        var random = new Random(384);
        sbyte[] Weights(long count) => Enumerable.Range(0, (int)count).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, Tokens, Width)
            .Initializer("w1", Weights(Width * Inner), Width, Inner).Initializer("w1_scale", [0.002f]).Initializer("w1_zp", new sbyte[] { 0 })
            .Initializer("b1", RandomData.Floats(random, (int)Inner), Inner)
            .Initializer("w2", Weights(Inner * Width), Inner, Width).Initializer("w2_scale", [0.001f]).Initializer("w2_zp", new sbyte[] { 0 })
            .Initializer("b2", RandomData.Floats(random, (int)Width), Width)
            .Node("DynamicQuantizeLinear", ["x"], ["x_q", "x_scale", "x_zp"])
            .Node("MatMulInteger", ["x_q", "w1", "x_zp", "w1_zp"], ["h_int"])
            .Node("Cast", ["h_int"], ["h_sum"], OnnxAttr.Int("to", (int)ElemType.Float))
            .Node("Mul", ["x_scale", "w1_scale"], ["h_scale"])
            .Node("Mul", ["h_sum", "h_scale"], ["h_lin"])
            .Node("Add", ["h_lin", "b1"], ["h_pre"])
            .Node("Relu", ["h_pre"], ["h"])
            .Node("DynamicQuantizeLinear", ["h"], ["h_q", "h_qscale", "h_zp"])
            .Node("MatMulInteger", ["h_q", "w2", "h_zp", "w2_zp"], ["y_int"])
            .Node("Cast", ["y_int"], ["y_sum"], OnnxAttr.Int("to", (int)ElemType.Float))
            .Node("Mul", ["h_qscale", "w2_scale"], ["y_scale"])
            .Node("Mul", ["y_sum", "y_scale"], ["y_lin"])
            .Node("Add", ["y_lin", "b2"], ["y"])
            .Output("y", ElemType.Float, [Tokens, Width])
            .Build();
        string file = Path.Combine(Path.GetTempPath(), $"graphport-bench-dynquant-{Environment.ProcessId}.onnx");
        System.IO.File.WriteAllBytes(file, model);
        return file;
    });

    /// <summary>The model file, written on first use.</summary>
    public static string File => path.Value;
}
