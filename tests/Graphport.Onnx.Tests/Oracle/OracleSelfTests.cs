using Xunit.Sdk;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// The oracle can fail: the builder's models mean what they say to ONNX Runtime, and the comparison rejects a
/// program whose values, shape or element type differ from ORT's. Without these an op test passing proves little.
/// </summary>
public class OracleSelfTests
{
    [Fact]
    public void The_builder_writes_models_onnx_runtime_runs_as_intended()
    {
        // Known values, not a comparison: if the builder misencoded an attribute, ORT's answer would differ.
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3)
            .Node("Transpose", ["x"], ["t"], OnnxAttr.Ints("perm", 1, 0))
            .Node("Clip", ["t", "lo"], ["y"])
            .Initializer("lo", [-1f])
            .Output("y", ElemType.Float, [3, 2])
            .Build();
        var result = Assert.Single(OrtReference.Run(model, [new ModelInput("x", new float[] { 1, -2, 3, -4, 5, -6 }, [2, 3])]));
        Assert.Equal([3L, 2L], result.Shape);
        Assert.Equal(new float[] { 1, -1, -1, 5, 3, -1 }, (float[])result.Data);
    }

    [Fact]
    public void Different_values_fail_naming_the_worst_element()
    {
        var ours = Import(UnaryModel("Relu", 2, 3)).Module();
        var x = new ModelInput("x", new float[] { 1, -2, 3, -4, 5, -6 }, [2, 3]);
        var e = Assert.ThrowsAny<XunitException>(() => AssertRunMatchesOrt(ours, UnaryModel("Abs", 2, 3), [x], Tolerance.Float32));
        // Relu and Abs differ where x < 0; the largest difference is at -6, the last element.
        Assert.Contains("3 of 6 elements", e.Message);
        Assert.Contains("worst at [1, 2]", e.Message);
    }

    [Fact]
    public void A_different_shape_fails()
    {
        var ours = Import(UnaryModel("Identity", 2, 3)).Module();
        var transposed = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3)
            .Node("Transpose", ["x"], ["y"])
            .Output("y", ElemType.Float, [3, 2])
            .Build();
        var x = ModelInput.Floats("x", new Random(171), [2, 3]);
        var e = Assert.ThrowsAny<XunitException>(() => AssertRunMatchesOrt(ours, transposed, [x], Tolerance.Float32));
        Assert.Contains("shape [3, 2]", e.Message);
    }

    [Fact]
    public void A_different_element_type_fails()
    {
        var ours = Import(UnaryModel("Identity", 2, 3)).Module();
        var cast = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3)
            .Node("Cast", ["x"], ["y"], OnnxAttr.Int("to", (long)ElemType.Int64))
            .Output("y", ElemType.Int64, [2, 3])
            .Build();
        var x = ModelInput.Floats("x", new Random(172), [2, 3]);
        var e = Assert.ThrowsAny<XunitException>(() => AssertRunMatchesOrt(ours, cast, [x], Tolerance.Float32));
        Assert.Contains("Int64", e.Message);
    }

    private static byte[] UnaryModel(string op, params long[] shape) => new OnnxModelBuilder(13)
        .Input("x", ElemType.Float, shape.Cast<object>().ToArray())
        .Node(op, ["x"], ["y"])
        .Output("y", ElemType.Float, shape.Cast<object>().ToArray())
        .Build();
}
