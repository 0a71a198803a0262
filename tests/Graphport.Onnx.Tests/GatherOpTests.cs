using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>Gather: embedding lookups, scalar indices that drop the axis, negative indices, other axes.</summary>
public class GatherOpTests
{
    [Fact]
    public void Gather_on_axis_0_looks_up_embedding_rows()
    {
        var random = new Random(81);
        var model = new OnnxModelBuilder(13)
            .Input("ids", ElemType.Int64, 2, 3)
            .Initializer("table", RandomData.Floats(random, 40), 10, 4)
            .Node("Gather", ["table", "ids"], ["y"], OnnxAttr.Int("axis", 0))
            .Output("y", ElemType.Float, [2, 3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("ids", random, [2, 3], 0, 10));
    }

    [Fact]
    public void Gather_with_a_scalar_index_drops_the_axis()
    {
        var random = new Random(82);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 5, 4)
            .Initializer("i", [2L])
            .Node("Gather", ["x", "i"], ["y"])
            .Output("y", ElemType.Float, [4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [5, 4]));
    }

    [Fact]
    public void Gather_counts_negative_indices_from_the_end()
    {
        var random = new Random(83);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 5, 4)
            .Initializer("i", [-1L, -3L, 0L], 3)
            .Node("Gather", ["x", "i"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [5, 4]));
    }

    [Fact]
    public void Gather_on_axis_1_picks_columns()
    {
        var random = new Random(84);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 5, 2)
            .Initializer("i", [4L, 0L], 2)
            .Node("Gather", ["x", "i"], ["y"], OnnxAttr.Int("axis", 1))
            .Output("y", ElemType.Float, [3, 2, 2])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 5, 2]));
    }

    [Fact]
    public void Gather_of_a_scalar_on_axis_1_takes_the_first_token()
    {
        var random = new Random(85);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 6, 8)
            .Initializer("i", [0L])
            .Node("Gather", ["x", "i"], ["y"], OnnxAttr.Int("axis", 1))
            .Output("y", ElemType.Float, [2, 8])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 6, 8]));
    }

    [Fact]
    public void Gather_of_int64_data_with_an_index_tensor()
    {
        var random = new Random(86);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Int64, 6)
            .Input("i", ElemType.Int64, 2, 2)
            .Node("Gather", ["x", "i"], ["y"])
            .Output("y", ElemType.Int64, [2, 2])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("x", random, [6], -50, 50), ModelInput.Longs("i", random, [2, 2], -6, 6));
    }
}
