using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// ONNX Loop is unrolled at import when its trip count and condition are known while tracing, as torch.export
/// unrolls a Python for-loop: one copy of the body per iteration, scan outputs stacked along a new axis 0. A loop
/// whose trip count or condition depends on tensor data, or that would unroll too far, is refused naming the node.
/// </summary>
public class LoopOpTests
{
    /// <summary>A body that adds x * w to its carried sum and also emits the sum (a scan output); it passes cond through.</summary>
    private static OnnxModelBuilder AccumulateBody(params object[] dims) => new OnnxModelBuilder(13)
        .Input("i", ElemType.Int64)
        .Input("cond_in", ElemType.Bool)
        .Input("acc_in", ElemType.Float, dims)
        .Node("Mul", ["x", "w"], ["xw"])
        .Node("Add", ["acc_in", "xw"], ["acc_out"])
        .Node("Identity", ["acc_out"], ["partial"])
        .Node("Identity", ["cond_in"], ["cond_out"])
        .Output("cond_out", ElemType.Bool, [])
        .Output("acc_out", ElemType.Float, dims)
        .Output("partial", ElemType.Float, dims);

    /// <summary>total, partials = Loop(M = trip, acc = x) with <see cref="AccumulateBody"/>.</summary>
    private static byte[] AccumulateModel(long trip, object[] dims, object[] partialDims) => new OnnxModelBuilder(13)
        .Input("x", ElemType.Float, dims)
        .Initializer("w", [0.5f, -2f, 3f], 3)
        .Initializer("trip", [trip])
        .NamedNode("accumulate", "Loop", ["trip", "", "x"], ["total", "partials"], OnnxAttr.Graph("body", AccumulateBody(dims)))
        .Output("total", ElemType.Float, dims)
        .Output("partials", ElemType.Float, partialDims)
        .Build();

    [Fact]
    public void A_loop_of_three_iterations_unrolls_into_three_copies_of_its_body_with_partial_sums_stacked()
    {
        var model = AccumulateModel(3, ["n", 3L], [3L, "n", 3L]);
        var program = Import(model);
        Assert.Equal(3, program.Graph.Nodes.Count(n => n.Target?.ToString()?.Contains("mul") == true));
        var random = new Random(901);
        foreach (var rows in new long[] { 2, 5 })
            AssertRunMatchesOrt(program.Module(), model, [ModelInput.Floats("x", random, [rows, 3])], Tolerance.Float32, $"{rows} rows");
    }

    [Fact]
    public void An_unrolled_loop_survives_save_load_and_decomposition()
    {
        var model = AccumulateModel(3, ["n", 3L], [3L, "n", 3L]);
        var program = Import(model);
        var stream = new MemoryStream();
        program.Save(stream);
        stream.Position = 0;
        var reloaded = ExportedProgram.Load(stream, "loop.pt2");
        var random = new Random(902);
        foreach (var (name, candidate) in new[] { ("imported", program), ("reloaded from .pt2", reloaded), ("decomposed", program.RunDecompositions()) })
            AssertRunMatchesOrt(candidate.Module(), model, [ModelInput.Floats("x", random, [4, 3])], Tolerance.Float32, name);
    }

    /// <summary>weighted = sum_i i * x[i] and rows_scaled[i] = i * x[i], looping over rows: the trip count is Shape(x)[0].</summary>
    private static byte[] OverRowsModel()
    {
        var body = new OnnxModelBuilder(13)
            .Input("i", ElemType.Int64)
            .Input("cond_in", ElemType.Bool)
            .Input("acc_in", ElemType.Float, 3L)
            .Node("Gather", ["x", "i"], ["row"], OnnxAttr.Int("axis", 0))
            .Node("Cast", ["i"], ["fi"], OnnxAttr.Int("to", (long)ElemType.Float))
            .Node("Mul", ["row", "fi"], ["scaled"])
            .Node("Add", ["acc_in", "scaled"], ["acc_out"])
            .Node("Identity", ["cond_in"], ["cond_out"])
            .Output("cond_out", ElemType.Bool, [])
            .Output("acc_out", ElemType.Float, [3L])
            .Output("scaled", ElemType.Float, [3L]);
        return new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, "rows", 3L)
            .Initializer("acc0", [0f, 0f, 0f], 3)
            .Node("Shape", ["x"], ["shape"])
            .NamedNode("zero_index", "Constant", [], ["zeroIndex"], OnnxAttr.Tensor("value", new long[] { 0 }))
            .Node("Gather", ["shape", "zeroIndex"], ["rows"], OnnxAttr.Int("axis", 0))
            .NamedNode("over_rows", "Loop", ["rows", "", "acc0"], ["weighted", "rows_scaled"], OnnxAttr.Graph("body", body))
            .Output("weighted", ElemType.Float, [3L])
            .Output("rows_scaled", ElemType.Float, ["rows", 3L])
            .Build();
    }

    [Fact]
    public void A_trip_count_taken_from_an_input_dimension_unrolls_at_the_static_size_and_the_body_reads_the_iteration_number()
    {
        var model = OverRowsModel();
        var program = Import(model, new OnnxImportOptions { StaticShapes = true, DimSizes = { ["rows"] = 4 } });
        Assert.Equal(4, program.Graph.Nodes.Count(n => n.Target?.ToString()?.Contains("select") == true));
        AssertRunMatchesOrt(program.Module(), model, [ModelInput.Floats("x", new Random(903), [4, 3])], Tolerance.Float32, "static rows");
    }

    [Fact]
    public void A_trip_count_taken_from_a_symbolic_dimension_fixes_that_dimension_as_torch_export_does_for_range_of_a_size()
    {
        var model = OverRowsModel();
        var program = Import(model, new OnnxImportOptions { DimSizes = { ["rows"] = 5 } });
        Assert.Contains("x: \"f32[5, 3]\"", program.ToString());
        AssertRunMatchesOrt(program.Module(), model, [ModelInput.Floats("x", new Random(907), [5, 3])], Tolerance.Float32, "rows specialized to 5");
    }

    /// <summary>
    /// acc, k, steps, k_steps = Loop(M, cond, x, 0) whose body stops after i = 2 (cond_out = i &lt; 2): acc += x,
    /// k += i (shape arithmetic, kept a known value), steps collects acc and k_steps k. Three iterations run.
    /// </summary>
    private static byte[] CountedByConditionModel(bool withTripCount)
    {
        var body = new OnnxModelBuilder(13)
            .Input("i", ElemType.Int64)
            .Input("cond_in", ElemType.Bool)
            .Input("acc_in", ElemType.Float, 2L, 3L)
            .Input("k_in", ElemType.Int64)
            .Node("Less", ["i", "two"], ["cond_out"])
            .Node("Add", ["acc_in", "x"], ["acc_out"])
            .Node("Add", ["k_in", "i"], ["k_out"])
            .Node("Identity", ["acc_out"], ["step"])
            .Node("Identity", ["k_out"], ["k_step"])
            .Output("cond_out", ElemType.Bool, [])
            .Output("acc_out", ElemType.Float, [2L, 3L])
            .Output("k_out", ElemType.Int64, [])
            .Output("step", ElemType.Float, [2L, 3L])
            .Output("k_step", ElemType.Int64, []);
        return new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2L, 3L)
            .Initializer("ten", [10L])
            .Initializer("zero", [0L])
            .Initializer("two", [2L])
            .Node("Greater", ["ten", "zero"], ["go"])
            .NamedNode("until_two", "Loop", [withTripCount ? "ten" : "", "go", "x", "zero"], ["acc", "k", "steps", "k_steps"], OnnxAttr.Graph("body", body))
            .Output("acc", ElemType.Float, [2L, 3L])
            .Output("k", ElemType.Int64, [])
            .Output("steps", ElemType.Float, [3L, 2L, 3L])
            .Output("k_steps", ElemType.Int64, [3L])
            .Build();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_condition_computed_from_the_iteration_number_ends_the_loop_at_import(bool withTripCount)
    {
        var model = CountedByConditionModel(withTripCount);
        var program = Import(model);
        Assert.Equal(3, program.Graph.Nodes.Count(n => n.Target?.ToString()?.Contains("add") == true));
        AssertRunMatchesOrt(program.Module(), model, [ModelInput.Floats("x", new Random(904), [2, 3])], Tolerance.Float32, withTripCount ? "M = 10" : "no M");
    }

    [Fact]
    public void A_loop_of_zero_iterations_returns_its_initial_values_and_empty_scan_outputs()
    {
        var model = AccumulateModel(0, [2L, 3L], [0L, 2L, 3L]);
        var program = Import(model);
        Assert.DoesNotContain(program.Graph.Nodes, n => n.Target?.ToString()?.Contains("mul") == true);
        var x = ModelInput.Floats("x", new Random(905), [2, 3]);
        var outputs = ProgramOutputs.InOrder(program.Module().Invoke(x.ToTensor()), ["total", "partials"]);
        Assert.Equal([0L, 2L, 3L], outputs[1].Shape.ToLongs());
        AssertRunMatchesOrt(program.Module(), model, [x], Tolerance.Float32, "M = 0");
    }

    [Fact]
    public void A_loop_of_zero_iterations_whose_scan_output_has_no_declared_shape_is_refused()
    {
        var body = new OnnxModelBuilder(13)
            .Input("i", ElemType.Int64)
            .Input("cond_in", ElemType.Bool)
            .Input("acc_in", ElemType.Float, 2L, 3L)
            .Node("Add", ["acc_in", "x"], ["acc_out"])
            .Node("Identity", ["acc_out"], ["partial"])
            .Node("Identity", ["cond_in"], ["cond_out"])
            .Output("cond_out", ElemType.Bool, [])
            .Output("acc_out", ElemType.Float, [2L, 3L])
            .Output("partial", ElemType.Float);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2L, 3L)
            .Initializer("none", [0L])
            .NamedNode("never", "Loop", ["none", "", "x"], ["total", "partials"], OnnxAttr.Graph("body", body))
            .Output("total", ElemType.Float, [2L, 3L])
            .Output("partials", ElemType.Float)
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'never' (Loop)", e.Message);
        Assert.Contains("no iterations", e.Message);
        Assert.Contains("'partial'", e.Message);
    }

    [Fact]
    public void Loops_nest_and_each_unrolls()
    {
        // Two outer iterations, each running three inner ones that add x: y = x + 6x.
        var inner = new OnnxModelBuilder(13)
            .Input("j", ElemType.Int64)
            .Input("inner_cond_in", ElemType.Bool)
            .Input("inner_acc_in", ElemType.Float, 2L, 3L)
            .Node("Add", ["inner_acc_in", "x"], ["inner_acc_out"])
            .Node("Identity", ["inner_cond_in"], ["inner_cond_out"])
            .Output("inner_cond_out", ElemType.Bool, [])
            .Output("inner_acc_out", ElemType.Float, [2L, 3L]);
        var outer = new OnnxModelBuilder(13)
            .Input("i", ElemType.Int64)
            .Input("outer_cond_in", ElemType.Bool)
            .Input("outer_acc_in", ElemType.Float, 2L, 3L)
            .NamedNode("inner", "Loop", ["three", "", "outer_acc_in"], ["outer_acc_out"], OnnxAttr.Graph("body", inner))
            .Node("Identity", ["outer_cond_in"], ["outer_cond_out"])
            .Output("outer_cond_out", ElemType.Bool, [])
            .Output("outer_acc_out", ElemType.Float, [2L, 3L]);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2L, 3L)
            .Initializer("two", [2L])
            .Initializer("three", [3L])
            .NamedNode("outer", "Loop", ["two", "", "x"], ["y"], OnnxAttr.Graph("body", outer))
            .Output("y", ElemType.Float, [2L, 3L])
            .Build();
        var program = Import(model);
        Assert.Equal(6, program.Graph.Nodes.Count(n => n.Target?.ToString()?.Contains("add") == true));
        AssertRunMatchesOrt(program.Module(), model, [ModelInput.Floats("x", new Random(906), [2, 3])], Tolerance.Float32, "nested");
    }

    [Fact]
    public void A_loop_whose_condition_depends_on_tensor_data_is_refused_naming_the_node()
    {
        // Keep adding x while sum(acc) < 10: how often depends on x's values.
        var body = new OnnxModelBuilder(13)
            .Input("i", ElemType.Int64)
            .Input("cond_in", ElemType.Bool)
            .Input("acc_in", ElemType.Float, 2L, 3L)
            .Node("Add", ["acc_in", "x"], ["acc_out"])
            .Node("ReduceSum", ["acc_out"], ["total"], OnnxAttr.Int("keepdims", 0))
            .Node("Less", ["total", "limit"], ["cond_out"])
            .Output("cond_out", ElemType.Bool, [])
            .Output("acc_out", ElemType.Float, [2L, 3L]);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2L, 3L)
            .Initializer("limit", [10f])
            .Initializer("five", [5L])
            .NamedNode("until_large", "Loop", ["five", "", "x"], ["y"], OnnxAttr.Graph("body", body))
            .Output("y", ElemType.Float, [2L, 3L])
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'until_large' (Loop)", e.Message);
        Assert.Contains("depends on tensor data; Graphport unrolls loops whose trip count and condition are known at import", e.Message);
    }

    [Fact]
    public void A_loop_whose_trip_count_comes_from_tensor_data_is_refused_naming_the_node()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2L, 3L)
            .Input("count", ElemType.Int64)
            .Initializer("w", [0.5f, -2f, 3f], 3)
            .NamedNode("data_count", "Loop", ["count", "", "x"], ["total", "partials"], OnnxAttr.Graph("body", AccumulateBody(2L, 3L)))
            .Output("total", ElemType.Float, [2L, 3L])
            .Output("partials", ElemType.Float)
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'data_count' (Loop)", e.Message);
        Assert.Contains("trip count (input 0, 'count') from tensor data", e.Message);
    }

    [Fact]
    public void A_loop_of_more_than_4096_iterations_is_refused_before_unrolling()
    {
        var model = AccumulateModel(100_000, [2L, 3L], [100_000L, 2L, 3L]);
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'accumulate' (Loop)", e.Message);
        Assert.Contains("trip count of 100000", e.Message);
        Assert.Contains("4096 iterations", e.Message);
    }

    [Fact]
    public void A_loop_whose_condition_is_still_true_after_4096_iterations_is_refused()
    {
        // No trip count; the condition i < 5000 is known each iteration but would hold past the unrolling limit.
        var body = new OnnxModelBuilder(13)
            .Input("i", ElemType.Int64)
            .Input("cond_in", ElemType.Bool)
            .Input("acc_in", ElemType.Float, 2L, 3L)
            .Node("Add", ["acc_in", "x"], ["acc_out"])
            .Node("Less", ["i", "limit"], ["cond_out"])
            .Output("cond_out", ElemType.Bool, [])
            .Output("acc_out", ElemType.Float, [2L, 3L]);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2L, 3L)
            .Initializer("limit", [5000L])
            .Initializer("zero", [0L])
            .Node("Less", ["zero", "limit"], ["go"])
            .NamedNode("long_while", "Loop", ["", "go", "x"], ["y"], OnnxAttr.Graph("body", body))
            .Output("y", ElemType.Float, [2L, 3L])
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'long_while' (Loop)", e.Message);
        Assert.Contains("condition was still true", e.Message);
        Assert.Contains("4096 iterations", e.Message);
    }

    [Fact]
    public void A_loop_with_neither_trip_count_nor_condition_is_refused()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2L, 3L)
            .Initializer("w", [0.5f, -2f, 3f], 3)
            .NamedNode("forever", "Loop", ["", "", "x"], ["total", "partials"], OnnxAttr.Graph("body", AccumulateBody(2L, 3L)))
            .Output("total", ElemType.Float, [2L, 3L])
            .Output("partials", ElemType.Float)
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'forever' (Loop)", e.Message);
        Assert.Contains("never ends", e.Message);
    }
}
