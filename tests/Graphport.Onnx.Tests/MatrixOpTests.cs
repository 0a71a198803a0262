using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>MatMul with numpy's batching and broadcasting, and Gemm with its transposes, scales and bias.</summary>
public class MatrixOpTests
{
    [Fact]
    public void MatMul_of_two_matrices()
    {
        var random = new Random(31);
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, 3, 4)
            .Input("b", ElemType.Float, 4, 5)
            .Node("MatMul", ["a", "b"], ["y"])
            .Output("y", ElemType.Float, [3, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("a", random, [3, 4]), ModelInput.Floats("b", random, [4, 5]));
    }

    [Fact]
    public void MatMul_of_a_batch_by_a_weight_initializer()
    {
        var random = new Random(32);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Initializer("w", RandomData.Floats(random, 20), 4, 5)
            .Node("MatMul", ["x", "w"], ["y"])
            .Output("y", ElemType.Float, [2, 3, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Fact]
    public void MatMul_of_two_4d_batches()
    {
        var random = new Random(33);
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, 2, 3, 4, 5)
            .Input("b", ElemType.Float, 2, 3, 5, 6)
            .Node("MatMul", ["a", "b"], ["y"])
            .Output("y", ElemType.Float, [2, 3, 4, 6])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("a", random, [2, 3, 4, 5]), ModelInput.Floats("b", random, [2, 3, 5, 6]));
    }

    [Fact]
    public void MatMul_broadcasts_batch_dims()
    {
        var random = new Random(34);
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, 2, 1, 4, 5)
            .Input("b", ElemType.Float, 3, 5, 6)
            .Node("MatMul", ["a", "b"], ["y"])
            .Output("y", ElemType.Float, [2, 3, 4, 6])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("a", random, [2, 1, 4, 5]), ModelInput.Floats("b", random, [3, 5, 6]));
    }

    [Fact]
    public void MatMul_of_a_vector_drops_its_dim()
    {
        var random = new Random(35);
        var model = new OnnxModelBuilder(17)
            .Input("v", ElemType.Float, 4)
            .Input("m", ElemType.Float, 2, 4, 5)
            .Node("MatMul", ["v", "m"], ["y"])
            .Output("y", ElemType.Float, [2, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("v", random, [4]), ModelInput.Floats("m", random, [2, 4, 5]));
    }

    [Fact]
    public void Gemm_with_transposed_weight_and_bias_is_a_linear_layer()
    {
        var random = new Random(36);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 3, 4)
            .Initializer("w", RandomData.Floats(random, 20), 5, 4)
            .Initializer("b", RandomData.Floats(random, 5), 5)
            .Node("Gemm", ["x", "w", "b"], ["y"], OnnxAttr.Int("transB", 1))
            .Output("y", ElemType.Float, [3, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4]));
    }

    [Fact]
    public void Gemm_scales_the_product_by_alpha_and_the_bias_by_beta()
    {
        var random = new Random(37);
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, 3, 4)
            .Input("b", ElemType.Float, 4, 5)
            .Input("c", ElemType.Float, 3, 5)
            .Node("Gemm", ["a", "b", "c"], ["y"], OnnxAttr.Float("alpha", 0.5f), OnnxAttr.Float("beta", 2f))
            .Output("y", ElemType.Float, [3, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("a", random, [3, 4]), ModelInput.Floats("b", random, [4, 5]), ModelInput.Floats("c", random, [3, 5]));
    }

    [Fact]
    public void Gemm_with_transA_transposes_the_first_operand()
    {
        var random = new Random(38);
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, 4, 3)
            .Input("b", ElemType.Float, 4, 5)
            .Initializer("c", RandomData.Floats(random, 5), 1, 5)
            .Node("Gemm", ["a", "b", "c"], ["y"], OnnxAttr.Int("transA", 1))
            .Output("y", ElemType.Float, [3, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("a", random, [4, 3]), ModelInput.Floats("b", random, [4, 5]));
    }

    [Fact]
    public void Gemm_without_bias_is_a_plain_product()
    {
        var random = new Random(39);
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, 3, 4)
            .Input("b", ElemType.Float, 5, 4)
            .Node("Gemm", ["a", "b"], ["y"], OnnxAttr.Int("transB", 1), OnnxAttr.Float("alpha", 1.5f))
            .Output("y", ElemType.Float, [3, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("a", random, [3, 4]), ModelInput.Floats("b", random, [5, 4]));
    }
}
