using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// ONNX If: a condition computed from tensor data becomes torch.cond (both branches kept, the choice made at run
/// time), a condition known while tracing (from sizes or constants) picks its branch at import.
/// </summary>
public class ControlFlowOpTests
{
    /// <summary>y = sum(x) > 0 ? x * w : -x - 1, the branches reading x and w from the enclosing graph.</summary>
    private static byte[] DataDependentIf()
    {
        var then = new OnnxModelBuilder(13)
            .Node("Mul", ["x", "w"], ["then_y"])
            .Output("then_y", ElemType.Float, ["n", 3L]);
        var otherwise = new OnnxModelBuilder(13)
            .Initializer("one", [1f])
            .Node("Neg", ["x"], ["neg"])
            .Node("Sub", ["neg", "one"], ["else_y"])
            .Output("else_y", ElemType.Float, ["n", 3L]);
        return new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, "n", 3L)
            .Initializer("w", [0.5f, -2f, 3f], 3)
            .Initializer("zero", [0f])
            .Node("ReduceSum", ["x"], ["total"], OnnxAttr.Int("keepdims", 0))
            .Node("Greater", ["total", "zero"], ["positive"])
            .NamedNode("branch", "If", ["positive"], ["y"], OnnxAttr.Graph("then_branch", then), OnnxAttr.Graph("else_branch", otherwise))
            .Output("y", ElemType.Float, ["n", 3L])
            .Build();
    }

    /// <summary>y = rate == 16000 ? x * w : x + v, choosing by a scalar int64 input, as Silero VAD chooses by its sample rate.</summary>
    private static byte[] IfOnARateInput()
    {
        var then = new OnnxModelBuilder(13).Node("Mul", ["x", "w"], ["then_y"]).Output("then_y", ElemType.Float, ["n", 3L]);
        var otherwise = new OnnxModelBuilder(13).Node("Add", ["x", "v"], ["else_y"]).Output("else_y", ElemType.Float, ["n", 3L]);
        return new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, "n", 3L)
            .Input("rate", ElemType.Int64)
            .Initializer("w", [0.5f, -2f, 3f], 3)
            .Initializer("v", [1.5f, 0.25f, -1f], 3)
            .Initializer("wide", [16000L])
            .Node("Equal", ["rate", "wide"], ["is_wide"])
            .NamedNode("branch", "If", ["is_wide"], ["y"], OnnxAttr.Graph("then_branch", then), OnnxAttr.Graph("else_branch", otherwise))
            .Output("y", ElemType.Float, ["n", 3L])
            .Build();
    }

    [Theory]
    [InlineData(16000, "aten.mul.Tensor", "w")]
    [InlineData(8000, "aten.add.Tensor", "v")]
    public void An_input_fixed_at_import_leaves_the_program_without_it_and_decides_its_if(long rate, string kept, string weight)
    {
        var model = IfOnARateInput();
        var program = Import(model, new OnnxImportOptions { InputValues = { ["rate"] = [rate] } });

        Assert.Equal(["x"], program.GraphSignature.UserInputs);
        // The branch not taken leaves no weight behind.
        Assert.Equal([weight], program.StateDict.Keys);
        Assert.Equal([weight], program.GraphSignature.Parameters);
        Assert.DoesNotContain("cond", program.ToString());
        Assert.Contains(kept, program.ToString());
        var x = ModelInput.Floats("x", new Random(802), [4, 3]);
        var expected = OrtReference.Run(model, [x, ModelInput.Longs("rate", [rate])]);
        var ours = program.Module().Invoke(x.ToTensor());
        Assert.Equal((float[])expected[0].Data, ((Tensor)ours!).ToArray<float>());
    }

    [Fact]
    public void Fixing_an_input_the_model_lacks_or_with_the_wrong_count_of_values_is_refused()
    {
        var model = IfOnARateInput();
        var unknown = Assert.Throws<OnnxImportException>(() => Import(model, new OnnxImportOptions { InputValues = { ["sr"] = [16000] } }));
        Assert.Contains("'sr', which is not an input", unknown.Message);
        Assert.Contains("Its inputs: x, rate", unknown.Message);
        var count = Assert.Throws<OnnxImportException>(() => Import(model, new OnnxImportOptions { InputValues = { ["rate"] = [16000, 8000] } }));
        Assert.Contains("2 value(s) for input 'rate'", count.Message);
        var all = Assert.Throws<OnnxImportException>(() => Import(model, new OnnxImportOptions { InputValues = { ["rate"] = [1], ["x"] = [1, 2, 3] } }));
        Assert.Contains("fixes every input", all.Message);
    }

    [Fact]
    public void A_data_dependent_if_becomes_a_cond_that_takes_either_branch_at_run_time()
    {
        var model = DataDependentIf();
        var program = Import(model);
        Assert.Contains(program.Graph.Nodes, n => n.Target?.ToString()?.Contains("cond") == true);
        Assert.Contains("torch.ops.higher_order.cond", program.ToString());
        var stream = new MemoryStream();
        program.Save(stream);
        stream.Position = 0;
        var reloaded = ExportedProgram.Load(stream, "if.pt2");
        var random = new Random(801);
        foreach (var (name, candidate) in new[] { ("imported", program), ("reloaded from .pt2", reloaded), ("decomposed", program.RunDecompositions()) })
        {
            var module = candidate.Module();
            foreach (var (low, high) in new[] { (0.1f, 2f), (-2f, -0.1f) })
            {
                var x = ModelInput.Floats("x", random, [4, 3], low, high);
                AssertRunMatchesOrt(module, model, [x], Tolerance.Float32, $"{name}, {(low > 0 ? "then" : "else")} branch");
            }
        }
    }

    [Fact]
    public void An_if_on_a_size_is_decided_at_import_and_leaves_only_the_taken_branch()
    {
        // rows == 1 ? x + 1 : x * 3, with rows fixed at 4 by --static: only the multiply remains.
        var then = new OnnxModelBuilder(13).Initializer("c1", [1f]).Node("Add", ["x", "c1"], ["a"]).Output("a", ElemType.Float, [4L, 2L]);
        var otherwise = new OnnxModelBuilder(13).Initializer("c3", [3f]).Node("Mul", ["x", "c3"], ["b"]).Output("b", ElemType.Float, [4L, 2L]);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, "rows", 2L)
            .Initializer("one", [1L])
            .Node("Shape", ["x"], ["shape"])
            .Node("Gather", ["shape", "zeroIndex"], ["rows"], OnnxAttr.Int("axis", 0))
            .NamedNode("zero_index", "Constant", [], ["zeroIndex"], OnnxAttr.Tensor("value", new long[] { 0 }))
            .Node("Equal", ["rows", "one"], ["single"])
            .NamedNode("pick", "If", ["single"], ["y"], OnnxAttr.Graph("then_branch", then), OnnxAttr.Graph("else_branch", otherwise))
            .Output("y", ElemType.Float, ["rows", 2L])
            .Build();
        var program = Import(model, new OnnxImportOptions { StaticShapes = true, DimSizes = { ["rows"] = 4 } });
        Assert.DoesNotContain(program.Graph.Nodes, n => n.Target?.ToString()?.Contains("cond") == true);
        Assert.Contains(program.Graph.Nodes, n => n.Target?.ToString()?.Contains("mul") == true);
        AssertRunMatchesOrt(program.Module(), model, [ModelInput.Floats("x", new Random(802), [4, 2])], Tolerance.Float32, "static rows");
    }

    [Fact]
    public void Branches_with_different_output_counts_are_refused_naming_the_node()
    {
        var then = new OnnxModelBuilder(13).Node("Relu", ["x"], ["a"]).Output("a", ElemType.Float, [2L]);
        var otherwise = new OnnxModelBuilder(13).Node("Relu", ["x"], ["b"]).Node("Neg", ["x"], ["c"]).Output("b", ElemType.Float, [2L]).Output("c", ElemType.Float, [2L]);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2L)
            .Input("flag", ElemType.Bool)
            .NamedNode("uneven", "If", ["flag"], ["y"], OnnxAttr.Graph("then_branch", then), OnnxAttr.Graph("else_branch", otherwise))
            .Output("y", ElemType.Float, [2L])
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'uneven' (If)", e.Message);
        Assert.Contains("1 and 2 outputs", e.Message);
    }
}
