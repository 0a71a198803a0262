using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// Imported programs are inference graphs: training-only behaviour is either what ONNX defines for inference
/// (Dropout passes values through and reports an all-true mask) or refused by name, never silently changed.
/// </summary>
public class InferenceOnlyTests
{
    [Fact]
    public void Dropout_passes_its_input_through_with_an_all_true_mask()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Initializer("ratio", [0.5f])
            .Node("Dropout", ["x", "ratio"], ["y", "mask"])
            .Output("y", ElemType.Float, [3, 4])
            .Output("mask", ElemType.Bool, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", new Random(951), [3, 4]));
    }

    [Fact]
    public void A_dropout_in_training_mode_is_refused()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Initializer("ratio", [0.5f])
            .NamedNode("drop", "Dropout", ["x", "ratio", "train"], ["y"])
            .NamedNode("train_flag", "Constant", [], ["train"], OnnxAttr.Tensor("value", new long[] { 1 }))
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'drop' (Dropout)", e.Message);
        Assert.Contains("training_mode", e.Message);
    }

    [Fact]
    public void A_per_activation_batch_norm_of_old_opsets_is_refused()
    {
        var random = new Random(952);
        var model = new OnnxModelBuilder(7)
            .Input("x", ElemType.Float, 2, 3, 4, 4)
            .Initializer("scale", RandomData.Floats(random, 3), 3)
            .Initializer("bias", RandomData.Floats(random, 3), 3)
            .Initializer("mean", RandomData.Floats(random, 3), 3)
            .Initializer("var", RandomData.Floats(random, 3, 0.5f, 2f), 3)
            .NamedNode("bn", "BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["y"], OnnxAttr.Int("spatial", 0))
            .Output("y", ElemType.Float, [2, 3, 4, 4])
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'bn' (BatchNormalization)", e.Message);
        Assert.Contains("spatial = 0", e.Message);
    }
}
