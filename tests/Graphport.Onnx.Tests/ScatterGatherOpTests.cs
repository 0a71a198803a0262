using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// GatherND, ScatterND, ScatterElements (and Scatter), NonZero and OneHot against ONNX Runtime: negative indices,
/// batch dims, every reduction, data-dependent NonZero counts, and the refusals for what ATen cannot express.
/// </summary>
public class ScatterGatherOpTests
{
    [Theory]
    [InlineData(new long[] { 4, 5, 3 }, new long[] { 2, 3, 2 })]
    [InlineData(new long[] { 3, 4 }, new long[] { 5, 2 })]
    [InlineData(new long[] { 6, 2 }, new long[] { 4, 1 })]
    public void GatherND_picks_slices_by_index_tuples_counting_negative_entries_from_the_end(long[] dataShape, long[] indicesShape)
    {
        var random = new Random(301);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, dataShape.Cast<object?>().ToArray())
            .Input("i", ElemType.Int64, indicesShape.Cast<object?>().ToArray())
            .Node("GatherND", ["x", "i"], ["y"])
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, dataShape), IndexTuples("i", random, dataShape, indicesShape, batch: 0));
    }

    [Theory]
    [InlineData(new long[] { 2, 4, 5 }, new long[] { 2, 3, 1 })]
    [InlineData(new long[] { 3, 4, 5, 2 }, new long[] { 3, 2, 2 })]
    [InlineData(new long[] { 3, 4, 2 }, new long[] { 3, 2 })]
    public void GatherND_with_one_batch_dim_indexes_each_batch_row_separately(long[] dataShape, long[] indicesShape)
    {
        var random = new Random(302);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, dataShape.Cast<object?>().ToArray())
            .Input("i", ElemType.Int64, indicesShape.Cast<object?>().ToArray())
            .Node("GatherND", ["x", "i"], ["y"], OnnxAttr.Int("batch_dims", 1))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, dataShape), IndexTuples("i", random, dataShape, indicesShape, batch: 1));
    }

    [Fact]
    public void GatherND_with_constant_negative_indices_reads_from_the_end()
    {
        var random = new Random(303);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Int64, 4, 3, 2)
            .Initializer("i", [-1L, 0L, 2L, -3L, -4L, 1L], 3, 2)
            .Node("GatherND", ["x", "i"], ["y"])
            .Output("y", ElemType.Int64, [3, 2])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("x", random, [4, 3, 2], -100, 100));
    }

    [Fact]
    public void GatherND_follows_a_symbolic_batch_size()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, "batch", 6, 4)
            .Input("i", ElemType.Int64, "batch", 3, 1)
            .Node("GatherND", ["x", "i"], ["y"], OnnxAttr.Int("batch_dims", 1))
            .Output("y", ElemType.Float, ["batch", 3, 4])
            .Build();
        var module = Import(model, new OnnxImportOptions { DimSizes = { ["batch"] = 2 } }).Module();
        var random = new Random(304);
        foreach (var batch in new[] { 3L, 5L })
            AssertRunMatchesOrt(module, model,
                [ModelInput.Floats("x", random, [batch, 6, 4]), IndexTuples("i", random, [batch, 6, 4], [batch, 3, 1], batch: 1)],
                Tolerance.Float32, $"batch {batch}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void GatherND_with_empty_index_tuples_copies_whole_slices(long batchDims)
    {
        var random = new Random(305);
        long[] indicesShape = batchDims == 0 ? [4, 0] : [2, 4, 0];
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3)
            .Input("i", ElemType.Int64, indicesShape.Cast<object?>().ToArray())
            .Node("GatherND", ["x", "i"], ["y"], OnnxAttr.Int("batch_dims", batchDims))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3]), new ModelInput("i", Array.Empty<long>(), indicesShape));
    }

    [Theory]
    [InlineData(new long[] { 4, 5, 3 }, new long[] { 3, 2 })]
    [InlineData(new long[] { 6, 4 }, new long[] { 2, 2, 1 })]
    [InlineData(new long[] { 3, 4 }, new long[] { 5, 2 })]
    public void ScatterND_replaces_the_indexed_slices(long[] dataShape, long[] indicesShape)
    {
        var random = new Random(311);
        var updatesShape = ScatterNDUpdatesShape(dataShape, indicesShape);
        var model = ScatterNDModel(16, dataShape, indicesShape, updatesShape, "none");
        AssertMatchesOrt(model, ModelInput.Floats("x", random, dataShape), UniqueIndexTuples("i", random, dataShape, indicesShape),
            ModelInput.Floats("u", random, updatesShape));
    }

    [Theory]
    [InlineData("add", 16, new long[] { 5, 4 }, new long[] { 6, 1 })]
    [InlineData("add", 16, new long[] { 3, 4, 2 }, new long[] { 2, 4, 2 })]
    [InlineData("mul", 16, new long[] { 5, 4 }, new long[] { 6, 1 })]
    [InlineData("mul", 16, new long[] { 3, 4, 2 }, new long[] { 2, 4, 2 })]
    [InlineData("max", 18, new long[] { 5, 4 }, new long[] { 6, 1 })]
    [InlineData("max", 18, new long[] { 3, 4, 2 }, new long[] { 7, 3 })]
    [InlineData("min", 18, new long[] { 5, 4 }, new long[] { 6, 1 })]
    [InlineData("min", 18, new long[] { 3, 4, 2 }, new long[] { 2, 4, 2 })]
    public void ScatterND_combines_repeated_indices_with_its_reduction(string reduction, long opset, long[] dataShape, long[] indicesShape)
    {
        var random = new Random(312);
        var updatesShape = ScatterNDUpdatesShape(dataShape, indicesShape);
        var model = ScatterNDModel(opset, dataShape, indicesShape, updatesShape, reduction);
        AssertMatchesOrt(model, ModelInput.Floats("x", random, dataShape), IndexTuples("i", random, dataShape, indicesShape, batch: 0),
            ModelInput.Floats("u", random, updatesShape));
    }

    [Fact]
    public void ScatterND_of_int64_data_with_constant_negative_indices()
    {
        var random = new Random(313);
        var model = new OnnxModelBuilder(16)
            .Input("x", ElemType.Int64, 4, 3)
            .Initializer("i", [-1L, 0L, -4L], 3, 1)
            .Input("u", ElemType.Int64, 3, 3)
            .Node("ScatterND", ["x", "i", "u"], ["y"], OnnxAttr.String("reduction", "add"))
            .Output("y", ElemType.Int64, [4, 3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("x", random, [4, 3], -50, 50), ModelInput.Longs("u", random, [3, 3], -50, 50));
    }

    [Theory]
    [InlineData(0, new long[] { 4, 5 }, new long[] { 2, 5 })]
    [InlineData(1, new long[] { 3, 6 }, new long[] { 3, 4 })]
    [InlineData(-1, new long[] { 2, 3, 5 }, new long[] { 2, 2, 3 })]
    public void ScatterElements_writes_updates_along_the_axis(long axis, long[] dataShape, long[] indicesShape)
    {
        var random = new Random(321);
        var model = ScatterElementsModel("ScatterElements", 13, axis, dataShape, indicesShape, ElemType.Int64, reduction: null);
        AssertMatchesOrt(model, ModelInput.Floats("x", random, dataShape), UniqueAlongAxis("i", random, dataShape, indicesShape, axis),
            ModelInput.Floats("u", random, indicesShape));
    }

    [Theory]
    [InlineData("add", 16, 0, new long[] { 4, 5 }, new long[] { 6, 5 })]
    [InlineData("add", 16, 1, new long[] { 3, 4, 2 }, new long[] { 3, 7, 2 })]
    [InlineData("mul", 16, 0, new long[] { 4, 5 }, new long[] { 6, 5 })]
    [InlineData("mul", 16, -1, new long[] { 3, 4, 2 }, new long[] { 3, 4, 5 })]
    [InlineData("max", 18, 0, new long[] { 4, 5 }, new long[] { 6, 3 })]
    [InlineData("max", 18, 1, new long[] { 3, 4, 2 }, new long[] { 2, 7, 2 })]
    [InlineData("min", 18, 0, new long[] { 4, 5 }, new long[] { 6, 5 })]
    [InlineData("min", 18, 2, new long[] { 3, 4, 2 }, new long[] { 3, 4, 5 })]
    public void ScatterElements_combines_repeated_indices_with_its_reduction(string reduction, long opset, long axis, long[] dataShape, long[] indicesShape)
    {
        var random = new Random(322);
        var model = ScatterElementsModel("ScatterElements", opset, axis, dataShape, indicesShape, ElemType.Int64, reduction);
        long size = dataShape[axis < 0 ? axis + dataShape.Length : axis];
        AssertMatchesOrt(model, ModelInput.Floats("x", random, dataShape), ModelInput.Longs("i", random, indicesShape, -size, size),
            ModelInput.Floats("u", random, indicesShape));
    }

    [Fact]
    public void ScatterElements_takes_int32_indices()
    {
        var random = new Random(323);
        var model = ScatterElementsModel("ScatterElements", 16, 1, [3, 5], [3, 4], ElemType.Int32, "add");
        var indices = ModelInput.Longs("i", random, [3, 4], -5, 5);
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 5]), indices with { Data = ((long[])indices.Data).Select(v => (int)v).ToArray() },
            ModelInput.Floats("u", random, [3, 4]));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    public void Scatter_the_old_name_of_ScatterElements_replaces_along_the_axis(long opset)
    {
        var random = new Random(324);
        var model = ScatterElementsModel("Scatter", opset, 1, [3, 6], [3, 2], ElemType.Int64, reduction: null);
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 6]), UniqueAlongAxis("i", random, [3, 6], [3, 2], 1),
            ModelInput.Floats("u", random, [3, 2]));
    }

    [Fact]
    public void NonZero_has_a_data_dependent_count_and_runs_at_other_counts()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Node("NonZero", ["x"], ["y"])
            .Output("y", ElemType.Int64, [2, "count"])
            .Build();
        var program = Import(model);
        var nonzero = program.Graph.Nodes.Single(n => n.Op?.Target == "aten.nonzero.default");
        Assert.Equal("u0", nonzero.TensorValue.Shape[0].ToString());
        Assert.Equal("{u0: [0, 12]}", program.RangeConstraints.ToString());
        var module = program.Module();
        var random = new Random(331);
        foreach (var zeros in new[] { 0.0, 0.5, 0.9 })
            AssertRunMatchesOrt(module, model, [Sparse("x", random, [3, 4], zeros)], Tolerance.Float32, $"{zeros:P0} zeros");
        // No non-zeros at all: an empty [2, 0] result (compared by shape; there are no elements to compare).
        var empty = Sparse("x", random, [3, 4], 1.0);
        var expected = Assert.Single(OrtReference.Run(model, [empty]));
        Assert.Equal(expected.Shape, module.Call(empty.ToTensor()).Shape.ToLongs());
    }

    [Theory]
    [InlineData(new long[] { 7 })]
    [InlineData(new long[] { 2, 3, 2 })]
    public void NonZero_of_a_bool_mask_lists_coordinates_per_dim(long[] shape)
    {
        var random = new Random(332);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Bool, shape.Cast<object?>().ToArray())
            .Node("NonZero", ["x"], ["y"])
            .Output("y", ElemType.Int64)
            .Build();
        var module = Import(model).Module();
        for (int run = 0; run < 3; run++)
            AssertRunMatchesOrt(module, model, [ModelInput.Bools("x", random, shape)], Tolerance.Float32, $"run {run}");
    }

    [Fact]
    public void NonZero_of_a_scalar_counts_it_as_one_element()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float)
            .Node("NonZero", ["x"], ["y"])
            .Output("y", ElemType.Int64, [1, "count"])
            .Build();
        AssertMatchesOrt(model, new ModelInput("x", new[] { 3f }, []));
    }

    [Fact]
    public void NonZero_of_int64_data()
    {
        var random = new Random(333);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Int64, 4, 5)
            .Node("NonZero", ["x"], ["y"])
            .Output("y", ElemType.Int64)
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("x", random, [4, 5], -1, 2));
    }

    [Theory]
    [InlineData(-1, new long[] { 2, 3 })]
    [InlineData(0, new long[] { 2, 3 })]
    [InlineData(1, new long[] { 4, 2 })]
    [InlineData(-2, new long[] { 5 })]
    public void OneHot_marks_each_class_along_the_axis_with_negative_and_out_of_range_indices(long axis, long[] shape)
    {
        var random = new Random(341);
        var model = new OnnxModelBuilder(11)
            .Input("i", ElemType.Int64, shape.Cast<object?>().ToArray())
            .Initializer("depth", [5L])
            .Initializer("values", [-0.5f, 2f], 2)
            .Node("OneHot", ["i", "depth", "values"], ["y"], OnnxAttr.Int("axis", axis))
            .Output("y", ElemType.Float)
            .Build();
        // [-7, 7): negative indices pick from the end, those outside [-5, 5) give a row of off values.
        AssertMatchesOrt(model, ModelInput.Longs("i", random, shape, -7, 7));
    }

    [Fact]
    public void OneHot_with_int64_values_and_a_symbolic_batch()
    {
        var model = new OnnxModelBuilder(11)
            .Input("i", ElemType.Int64, "batch", 3)
            .Initializer("depth", [4L], 1)
            .Initializer("values", [0L, 1L], 2)
            .Node("OneHot", ["i", "depth", "values"], ["y"])
            .Output("y", ElemType.Int64, ["batch", 3, 4])
            .Build();
        var module = Import(model).Module();
        var random = new Random(342);
        foreach (var batch in new[] { 2L, 5L })
            AssertRunMatchesOrt(module, model, [ModelInput.Longs("i", random, [batch, 3], -4, 4)], Tolerance.Float32, $"batch {batch}");
    }

    [Fact]
    public void OneHot_with_float_indices_and_depth()
    {
        var random = new Random(343);
        var indices = ModelInput.Longs("i", random, [3, 4], -6, 6);
        var model = new OnnxModelBuilder(11)
            .Input("i", ElemType.Float, 3, 4)
            .Initializer("depth", [6f])
            .Initializer("values", [1f, 7f], 2)
            .Node("OneHot", ["i", "depth", "values"], ["y"], OnnxAttr.Int("axis", 1))
            .Output("y", ElemType.Float, [3, 6, 4])
            .Build();
        AssertMatchesOrt(model, indices with { Data = ((long[])indices.Data).Select(v => (float)v).ToArray() });
    }

    [Fact]
    public void OneHot_refuses_a_depth_computed_from_tensor_data()
    {
        var model = new OnnxModelBuilder(11)
            .Input("i", ElemType.Int64, 3)
            .Input("depth", ElemType.Int64, 1)
            .Initializer("values", [0f, 1f], 2)
            .NamedNode("hot", "OneHot", ["i", "depth", "values"], ["y"])
            .Output("y", ElemType.Float)
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'hot'", e.Message);
        Assert.Contains("depth", e.Message);
        Assert.Contains("from tensor data", e.Message);
    }

    [Theory]
    [InlineData("ScatterND")]
    [InlineData("ScatterElements")]
    public void A_reduction_the_op_does_not_define_is_refused_by_name(string op)
    {
        var model = new OnnxModelBuilder(18)
            .Input("x", ElemType.Float, 4, 3)
            .Input("i", ElemType.Int64, 2, op == "ScatterND" ? 1 : 3)
            .Input("u", ElemType.Float, 2, 3)
            .NamedNode("scatter", op, ["x", "i", "u"], ["y"], OnnxAttr.String("reduction", "mean"))
            .Output("y", ElemType.Float, [4, 3])
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'scatter'", e.Message);
        Assert.Contains("reduction 'mean'", e.Message);
        Assert.Contains("none, add, mul, max or min", e.Message);
    }

    [Fact]
    public void GatherND_refuses_index_tuples_longer_than_the_data_rank()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 4, 3)
            .Input("i", ElemType.Int64, 2, 3)
            .NamedNode("pick", "GatherND", ["x", "i"], ["y"])
            .Output("y", ElemType.Float)
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'pick'", e.Message);
        Assert.Contains("index tuples of 3 entries", e.Message);
    }

    private static byte[] ScatterNDModel(long opset, long[] dataShape, long[] indicesShape, long[] updatesShape, string reduction) =>
        new OnnxModelBuilder(opset)
            .Input("x", ElemType.Float, dataShape.Cast<object?>().ToArray())
            .Input("i", ElemType.Int64, indicesShape.Cast<object?>().ToArray())
            .Input("u", ElemType.Float, updatesShape.Cast<object?>().ToArray())
            .Node("ScatterND", ["x", "i", "u"], ["y"], reduction == "none" ? [] : [OnnxAttr.String("reduction", reduction)])
            .Output("y", ElemType.Float, dataShape.Cast<object?>().ToArray())
            .Build();

    private static byte[] ScatterElementsModel(string op, long opset, long axis, long[] dataShape, long[] indicesShape, ElemType indexType, string? reduction)
    {
        var attributes = new List<OnnxAttr> { OnnxAttr.Int("axis", axis) };
        if (reduction is not null) attributes.Add(OnnxAttr.String("reduction", reduction));
        return new OnnxModelBuilder(opset)
            .Input("x", ElemType.Float, dataShape.Cast<object?>().ToArray())
            .Input("i", indexType, indicesShape.Cast<object?>().ToArray())
            .Input("u", ElemType.Float, indicesShape.Cast<object?>().ToArray())
            .Node(op, ["x", "i", "u"], ["y"], [.. attributes])
            .Output("y", ElemType.Float, dataShape.Cast<object?>().ToArray())
            .Build();
    }

    /// <summary>ScatterND's updates: indices' shape without its last dim, then the data dims the tuples do not address.</summary>
    private static long[] ScatterNDUpdatesShape(long[] dataShape, long[] indicesShape) =>
        [.. indicesShape[..^1], .. dataShape[(int)indicesShape[^1]..]];

    /// <summary>Random index tuples (indices' last dim entries each), entry j in [-size, size) of data dim batch + j.</summary>
    private static ModelInput IndexTuples(string name, Random random, long[] dataShape, long[] indicesShape, int batch)
    {
        int k = (int)indicesShape[^1];
        var data = new long[indicesShape.Aggregate(1L, (a, b) => a * b)];
        for (int n = 0; n < data.Length; n++)
        {
            long size = dataShape[batch + n % k];
            data[n] = random.NextInt64(-size, size);
        }
        return new ModelInput(name, data, indicesShape);
    }

    /// <summary>Distinct index tuples (ORT leaves repeated ones undefined without a reduction), some written negative.</summary>
    private static ModelInput UniqueIndexTuples(string name, Random random, long[] dataShape, long[] indicesShape)
    {
        int k = (int)indicesShape[^1];
        long count = indicesShape[..^1].Aggregate(1L, (a, b) => a * b);
        long positions = dataShape[..k].Aggregate(1L, (a, b) => a * b);
        var picked = Enumerable.Range(0, (int)positions).OrderBy(_ => random.Next()).Take((int)count).ToArray();
        var data = new long[count * k];
        for (int n = 0; n < count; n++)
        {
            long rest = picked[n];
            for (int j = k - 1; j >= 0; j--)
            {
                long entry = rest % dataShape[j];
                rest /= dataShape[j];
                data[n * k + j] = random.Next(2) == 0 ? entry : entry - dataShape[j];
            }
        }
        return new ModelInput(name, data, indicesShape);
    }

    /// <summary>Indices that never repeat along the axis at any other position, some written negative.</summary>
    private static ModelInput UniqueAlongAxis(string name, Random random, long[] dataShape, long[] indicesShape, long axis)
    {
        int a = (int)(axis < 0 ? axis + dataShape.Length : axis);
        long size = dataShape[a], along = indicesShape[a];
        long inner = indicesShape[(a + 1)..].Aggregate(1L, (x, y) => x * y);
        long outer = indicesShape[..a].Aggregate(1L, (x, y) => x * y);
        var data = new long[outer * along * inner];
        for (long o = 0; o < outer; o++)
        {
            for (long i = 0; i < inner; i++)
            {
                var rows = Enumerable.Range(0, (int)size).OrderBy(_ => random.Next()).Take((int)along).ToArray();
                for (long r = 0; r < along; r++)
                    data[(o * along + r) * inner + i] = random.Next(2) == 0 ? rows[r] : rows[r] - size;
            }
        }
        return new ModelInput(name, data, indicesShape);
    }

    /// <summary>Uniform floats with about the given fraction set to zero.</summary>
    private static ModelInput Sparse(string name, Random random, long[] shape, double zeros)
    {
        var input = ModelInput.Floats(name, random, shape);
        var data = (float[])input.Data;
        for (int n = 0; n < data.Length; n++)
            if (random.NextDouble() < zeros) data[n] = 0f;
        return input;
    }
}
