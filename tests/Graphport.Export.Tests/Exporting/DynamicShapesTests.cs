using Graphport.Shapes;
using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

public class DynamicShapesTests
{
    private static ExportedProgram ExportExample1()
    {
        ManualSeed(20);
        var shapes = new DynamicShapes { ["x"] = new() { [0] = new Dim("inp1_dim0"), [1] = new Dim("inp1_dim1", min: 4, max: 18) } };
        return Export(new DynamicShapesExample1(), [Randn(10, 10, 2)], dynamicShapes: shapes);
    }

    [Fact]
    public void Static_dims_reject_other_sizes_with_torchs_message()
    {
        ManualSeed(21);
        var ep = Export(new MyModule(), [Randn(8, 100), Randn(8, 100)]);
        var e = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(10, 100), Randn(10, 100)));
        Assert.Equal("Expected input at *args[0].shape[0] to be equal to 8, but got 10", e.Message);
    }

    [Fact]
    public void Bounded_dims_accept_sizes_in_range_and_match_eager()
    {
        var ep = ExportExample1();
        Assert.Equal("{s0: [2, oo], s1: [4, 18]}", ep.RangeConstraints.ToString());
        var module = new DynamicShapesExample1();
        foreach (var (a, b) in new[] { (5L, 5L), (2L, 4L), (30L, 18L), (1L, 7L) })
        {
            var x = Randn(a, b, 2);
            var actual = ep.Module().Call(x);
            Assert.Equal(new Shape(a, b - 2, 2), actual.Shape);
            Assert.True(actual.AllClose(module.Call(x), 0, 0));
        }
    }

    [Theory]
    [InlineData(8, 1, 2, "Expected input at *args[0].shape[1] to be >= 4, but got 1")]
    [InlineData(8, 20, 2, "Expected input at *args[0].shape[1] to be <= 18, but got 20")]
    [InlineData(8, 8, 3, "Expected input at *args[0].shape[2] to be equal to 2, but got 3")]
    public void Inputs_outside_the_dims_are_rejected_with_torchs_messages(long a, long b, long c, string message)
    {
        var ep = ExportExample1();
        var e = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(a, b, c)));
        Assert.Equal(message, e.Message);
        // Backends that run the graph their own way (CUDA) check flattened inputs with the same words.
        var flat = Assert.Throws<ArgumentException>(() => ep.CheckUserInputs([Randn(a, b, c)]));
        Assert.Equal(message, flat.Message);
        ep.CheckUserInputs([Randn(a, 5, 2)]);
    }

    [Fact]
    public void Example_inputs_outside_the_spec_are_rejected()
    {
        var shapes = new DynamicShapes { ["x"] = new() { [0] = new Dim("inp1_dim0"), [1] = new Dim("inp1_dim1_bad", min: 11, max: 18) } };
        var e = Assert.Throws<ExportException>(() => Export(new DynamicShapesExample1(), [Randn(10, 10, 2)], dynamicShapes: shapes));
        Assert.StartsWith("10 not in range [11, 18]", e.Message);
        Assert.Contains("x.Shape[1]", e.Message);
    }

    [Fact]
    public void A_shared_dim_makes_sizes_equal_at_run_time()
    {
        ManualSeed(22);
        var inner = new Dim("inner_dim");
        var shapes = new DynamicShapes
        {
            ["x"] = new() { [0] = new Dim("inp2_dim0"), [1] = inner },
            ["y"] = new() { [0] = inner, [1] = new Dim("inp3_dim1") },
        };
        var ep = Export(new DynamicShapesExample2(), [Randn(4, 8), Randn(8, 2)], dynamicShapes: shapes);
        var x = Randn(2, 16);
        var y = Randn(16, 4);
        Assert.True(ep.Module().Call(x, y).AllClose(x.Matmul(y), 1e-5, 1e-6));
        var e = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(4, 8), Randn(4, 2)));
        Assert.Equal("Expected input at *args[1].shape[0] to be equal to 8, but got 4", e.Message);
    }

    [Fact]
    public void Derived_dims_relate_sizes_linearly()
    {
        ManualSeed(23);
        var dimx = new Dim("dimx", min: 3, max: 6);
        var ep = Export(new DerivedDimExample1(), [Randn(5), Randn(6)], dynamicShapes: DynamicShapes.Positional(new() { [0] = dimx }, new() { [0] = dimx + 1 }));
        var x = Randn(4);
        var y = Randn(5);
        Assert.True(ep.Module().Call(x, y).AllClose(x + y[1..], 0, 0));
        var e = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(4), Randn(6)));
        Assert.Equal("Expected input at *args[1].shape[0] to be equal to 5, but got 6", e.Message);
    }

    [Fact]
    public void Derived_dims_with_a_phantom_root_solve_the_root_from_the_input()
    {
        ManualSeed(24);
        var dx = new Dim("dx", min: 3, max: 6);
        var ep = Export(new DerivedDimExample2(), [Randn(4), Randn(10)], dynamicShapes: DynamicShapes.Positional(new() { [0] = dx + 1 }, new() { [0] = dx * 3 + 1 }));
        Assert.Equal("{s0: [3, 6]}", ep.RangeConstraints.ToString());
        var z = Randn(7);
        var y = Randn(19);
        var actual = ep.Module().Call(z, y);
        Assert.True(actual.AllClose(z[1..] + y[TensorIndex.Slice(1, null, 3)], 0, 0));
        var e = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(7), Randn(20)));
        Assert.Equal("Expected input at *args[1].shape[0] to be equal to 19, but got 20", e.Message);
        var related = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(6), Randn(19)));
        Assert.Equal("Expected input at *args[1].shape[0] to be equal to 16, but got 19", related.Message);
        var tooBig = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(8), Randn(22)));
        Assert.Equal("Expected input at *args[0].shape[0] to be <= 7, but got 8", tooBig.Message);
    }

    [Fact]
    public void Derived_dim_examples_must_be_of_the_form()
    {
        var dx = new Dim("dx", min: 3, max: 6);
        var e = Assert.Throws<ExportException>(() =>
            Export(new DerivedDimExample2(), [Randn(4), Randn(11)], dynamicShapes: DynamicShapes.Positional(null, new() { [0] = dx * 3 + 1 })));
        Assert.Equal("Expected shape y.Shape[0] = 11 of input Tensor to be of the form 3*dx + 1, where dx is an integer.", e.Message);
    }

    private static DynamicShapes AllDynamic(out Dim[] dims)
    {
        dims = [new Dim("inp4_dim0"), new Dim("inp4_dim1"), new Dim("inp5_dim0"), new Dim("inp5_dim1")];
        return new DynamicShapes
        {
            ["x"] = new() { [0] = dims[0], [1] = dims[1] },
            ["y"] = new() { [0] = dims[2], [1] = dims[3] },
        };
    }

    [Fact]
    public void Constraint_violations_list_each_problem_and_suggest_csharp_fixes()
    {
        ManualSeed(25);
        var e = Assert.Throws<ConstraintViolationException>(() =>
            Export(new DynamicShapesExample3(), [Randn(8, 16), Randn(16, 32)], dynamicShapes: AllDynamic(out _)));
        var (_, line) = SourceLines.Marker("example3");
        Assert.Equal(
            "Constraints violated (inp4_dim0, inp5_dim0, inp5_dim1)! For more information, run with GRAPHPORT_LOGS=\"+dynamic\".\n" +
            "  - Not all values of inp4_dim0 = x.Shape[0] in the specified range satisfy the generated guard 2 <= x.Shape[0] && x.Shape[0] <= 16\n" +
            "  - The values of inp5_dim0 = y.Shape[0] and inp4_dim1 = x.Shape[1] must always be equal.\n" +
            "  - Not all values of inp5_dim1 = y.Shape[1] in the specified range satisfy the generated guard 16 <= y.Shape[1]\n" +
            "\n" +
            "Suggested fixes:\n" +
            "  inp4_dim0 = new Dim(\"inp4_dim0\", max: 16);\n" +
            "  inp4_dim1 = new Dim(\"inp4_dim1\");\n" +
            "  inp5_dim1 = new Dim(\"inp5_dim1\", min: 16);\n" +
            "  inp5_dim0 = inp4_dim1;",
            e.Message);
        Assert.Equal(4, e.SuggestedFixes.Count);
        _ = line;
    }

    [Fact]
    public void Pasting_the_suggested_fixes_back_exports()
    {
        ManualSeed(26);
        // The four fix lines from the message above, as a user pastes them.
        var inp4_dim0 = new Dim("inp4_dim0", max: 16);
        var inp4_dim1 = new Dim("inp4_dim1");
        var inp5_dim1 = new Dim("inp5_dim1", min: 16);
        var inp5_dim0 = inp4_dim1;
        var shapes = new DynamicShapes
        {
            ["x"] = new() { [0] = inp4_dim0, [1] = inp4_dim1 },
            ["y"] = new() { [0] = inp5_dim0, [1] = inp5_dim1 },
        };
        var ep = Export(new DynamicShapesExample3(), [Randn(8, 16), Randn(16, 32)], dynamicShapes: shapes);
        Assert.Equal("{s0: [2, 16], s1: [2, oo], s2: [16, oo]}", ep.RangeConstraints.ToString());
        var module = new DynamicShapesExample3();
        var x = Randn(4, 32);
        var y = Randn(32, 64);
        Assert.True(ep.Module().Call(x, y).AllClose(module.Call(x, y), 1e-5, 1e-5));
        var e = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(17, 32), Randn(32, 64)));
        Assert.Equal("Expected input at *args[0].shape[0] to be <= 16, but got 17", e.Message);
    }

    [Fact]
    public void Specialized_named_dims_are_violations_with_a_fix()
    {
        ManualSeed(27);
        var d = new Dim("d");
        var e = Assert.Throws<ConstraintViolationException>(() =>
            Export(new SpecializesSize(), [Randn(6, 3)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = d } }));
        Assert.Contains("Not all values of d = x.Shape[0] in the specified range are valid because d was inferred to be equal to 6.", e.Message);
        Assert.Contains("  d = 6;", e.Message);
        // Pasting "d = 6" back (a Dim converts from an int) exports with a static size.
        d = 6;
        var ep = Export(new SpecializesSize(), [Randn(6, 3)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = d } });
        Assert.Equal("{}", ep.RangeConstraints.ToString());
    }

    [Fact]
    public void Auto_dims_infer_ranges_and_specialize_silently()
    {
        ManualSeed(28);
        var ep = Export(new DynamicShapesExample3(), [Randn(8, 16), Randn(16, 32)],
            dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = Dim.Auto, [1] = Dim.Auto }, ["y"] = new() { [0] = Dim.Auto, [1] = Dim.Auto } });
        Assert.Equal("{s0: [2, 16], s1: [2, oo], s3: [16, oo]}", ep.RangeConstraints.ToString());
        var spec = Export(new SpecializesSize(), [Randn(6, 3)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = Dim.Auto } });
        Assert.Equal("{}", spec.RangeConstraints.ToString());
    }

    [Fact]
    public void Dynamic_dims_must_stay_dynamic()
    {
        ManualSeed(29);
        var e = Assert.Throws<ConstraintViolationException>(() =>
            Export(new SpecializesSize(), [Randn(6, 3)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = Dim.Dynamic } }));
        Assert.Contains("You marked DYNAMIC = x.Shape[0] as dynamic but your code specialized it to be a constant (6).", e.Message);
    }

    [Fact]
    public void Sizes_0_and_1_cannot_be_named_dims()
    {
        var e = Assert.Throws<ExportException>(() =>
            Export(new DynamicShapesExample1(), [Randn(1, 10, 2)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("batch") } }));
        Assert.Contains("You marked batch = x.Shape[0] as dynamic but the example input has size 1 there", e.Message);
        var auto = Export(new DynamicShapesExample1(), [Randn(1, 10, 2)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = Dim.Auto } });
        Assert.Equal("{}", auto.RangeConstraints.ToString());
    }

    [Fact]
    public void A_shared_dim_needs_equal_example_sizes()
    {
        var inner = new Dim("inner");
        var e = Assert.Throws<ExportException>(() => Export(new DynamicShapesExample2(), [Randn(4, 8), Randn(7, 2)],
            dynamicShapes: new DynamicShapes { ["x"] = new() { [1] = inner }, ["y"] = new() { [0] = inner } }));
        Assert.Contains("Dim inner is used for x.Shape[1] and y.Shape[0], which must therefore be equal, but the example inputs have x.Shape[1] = 8 and y.Shape[0] = 7", e.Message);
    }

    [Fact]
    public void Two_dims_with_one_name_and_different_bounds_are_rejected()
    {
        var e = Assert.Throws<ExportException>(() => Export(new DynamicShapesExample2(), [Randn(4, 8), Randn(8, 2)],
            dynamicShapes: new DynamicShapes { ["x"] = new() { [1] = new Dim("k", max: 10) }, ["y"] = new() { [0] = new Dim("k", max: 20) } }));
        Assert.Contains("Found different definitions", e.Message);
    }

    [Fact]
    public void Shape_reasoning_is_logged_with_symbols_guards_and_lines()
    {
        var lines = new List<string>();
        using var capture = new LogCapture(lines);
        ManualSeed(30);
        var dims = AllDynamic(out _);
        Assert.Throws<ConstraintViolationException>(() => Export(new DynamicShapesExample3(), [Randn(8, 16), Randn(16, 32)], dynamicShapes: dims));
        var (file, line) = SourceLines.Marker("example3");
        Assert.Contains(lines, l => l.StartsWith("create_symbol s0 = 8 for x.Shape[0] [2, oo]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == $"eval s0 <= 16 [guard added] at {file}:{line} in DynamicShapesExample3.Forward");
        Assert.Contains(lines, l => l.StartsWith("set_replacement s2 = s1", StringComparison.Ordinal));
    }
}

/// <summary>Reads its batch size as a plain long, which specializes it.</summary>
public sealed class SpecializesSize : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        long n = (long)x.Shape[0];
        return x.Reshape(n * 3);
    }
}
