using Graphport.Tests.Exporting;
using static Graphport.Torch;

namespace Graphport.Tests.Serialization;

/// <summary>The tutorial's programs, static and dynamic, survive Save and Load unchanged.</summary>
public class TutorialRoundTripTests
{
    internal static Func<object?[]> Inputs(ulong seed, params long[][] shapes) => () =>
    {
        ManualSeed(seed);
        return shapes.Select(s => (object?)Randn(s)).ToArray();
    };

    [Fact]
    public void Linear_plus_relu_module_round_trips_exactly()
    {
        ManualSeed(1);
        var ep = Export(new MyModule(), [Randn(8, 100), Randn(8, 100)]);
        RoundTrip.AssertExact(ep, Inputs(5, [8, 100], [8, 100]), Inputs(6, [8, 100], [8, 100]));
    }

    [Fact]
    public void Dynamic_dims_with_ranges_keep_their_symbols_ranges_and_input_checks()
    {
        var shapes = new DynamicShapes { ["x"] = new() { [0] = new Dim("inp1_dim0"), [1] = new Dim("inp1_dim1", min: 4, max: 18) } };
        var ep = Export(new DynamicShapesExample1(), [Randn(10, 10, 2)], dynamicShapes: shapes);
        var loaded = RoundTrip.AssertExact(ep, Inputs(7, [10, 10, 2]), Inputs(8, [3, 18, 2]), Inputs(9, [40, 4, 2]));
        Assert.Equal("{s0: [2, oo], s1: [4, 18]}", loaded.RangeConstraints.ToString());
        var tooWide = Assert.Throws<ArgumentException>(() => loaded.Module().Call(Randn(10, 19, 2)));
        var original = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(10, 19, 2)));
        Assert.Equal(original.Message, tooWide.Message);
    }

    [Fact]
    public void A_dim_shared_by_two_inputs_stays_one_symbol()
    {
        var inner = new Dim("inner_dim");
        var shapes = new DynamicShapes
        {
            ["x"] = new() { [0] = new Dim("inp2_dim0"), [1] = inner },
            ["y"] = new() { [0] = inner, [1] = new Dim("inp3_dim1") },
        };
        var ep = Export(new DynamicShapesExample2(), [Randn(4, 8), Randn(8, 2)], dynamicShapes: shapes);
        var loaded = RoundTrip.AssertExact(ep, Inputs(10, [4, 8], [8, 2]), Inputs(11, [5, 3], [3, 7]));
        var mismatch = Assert.Throws<ArgumentException>(() => loaded.Module().Call(Randn(5, 3), Randn(4, 7)));
        Assert.Equal(Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(5, 3), Randn(4, 7))).Message, mismatch.Message);
    }

    [Fact]
    public void Derived_dims_round_trip_as_expressions_of_their_root()
    {
        var dimx = new Dim("dimx", min: 3, max: 6);
        var ep = Export(new DerivedDimExample1(), [Randn(5), Randn(6)], dynamicShapes: DynamicShapes.Positional(new() { [0] = dimx }, new() { [0] = dimx + 1 }));
        RoundTrip.AssertExact(ep, Inputs(12, [5], [6]), Inputs(13, [3], [4]));
    }

    [Fact]
    public void A_derived_dim_whose_root_has_no_input_of_its_own_round_trips()
    {
        var dx = new Dim("dx", min: 3, max: 6);
        var ep = Export(new DerivedDimExample2(), [Randn(4), Randn(10)], dynamicShapes: DynamicShapes.Positional(new() { [0] = dx + 1 }, new() { [0] = dx * 3 + 1 }));
        var loaded = RoundTrip.AssertExact(ep, Inputs(14, [4], [10]), Inputs(15, [7], [19]));
        Assert.Contains("def forward(self, z: \"f32[s0 + 1]\", y: \"f32[3*s0 + 1]\"):", loaded.ToString());
    }

    [Fact]
    public void A_guard_that_narrowed_a_range_is_kept_in_the_loaded_range_constraints()
    {
        var inner = new Dim("inp4_dim1");
        var shapes = new DynamicShapes
        {
            ["x"] = new() { [0] = new Dim("inp4_dim0", max: 16), [1] = inner },
            ["y"] = new() { [0] = inner, [1] = new Dim("inp5_dim1", min: 16) },
        };
        var ep = Export(new DynamicShapesExample3(), [Randn(8, 16), Randn(16, 32)], dynamicShapes: shapes);
        Assert.Equal("{s0: [2, 16], s1: [2, oo], s2: [16, oo]}", ep.RangeConstraints.ToString());
        RoundTrip.AssertExact(ep, Inputs(16, [8, 16], [16, 32]), Inputs(17, [3, 20], [20, 17]));
    }

    [Fact]
    public void Sizes_read_with_sym_size_and_size_arithmetic_nodes_round_trip()
    {
        ManualSeed(50);
        var flatten = Export(new FlattenHead(), [Randn(4, 3, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("batch") } });
        var loaded = RoundTrip.AssertExact(flatten, Inputs(18, [4, 3, 4]), Inputs(19, [9, 3, 4]));
        Assert.Contains("sym_size_int: \"Sym(s0)\" = torch.ops.aten.sym_size.int(x, 0)", loaded.ToString());

        var doubled = Export(new ReshapesToDouble(), [Randn(6)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("d", min: 2, max: 50) } });
        RoundTrip.AssertExact(doubled, Inputs(20, [6]), Inputs(21, [31]));
    }

    [Fact]
    public void Floor_division_in_sizes_round_trips()
    {
        var ep = Export(new EverySecondRow(), [Randn(9, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("rows") } });
        var loaded = RoundTrip.AssertExact(ep, Inputs(22, [9, 4]), Inputs(23, [10, 4]), Inputs(24, [3, 4]));
        Assert.Contains("//", loaded.ToString());
    }

    [Fact]
    public void Dim_auto_programs_round_trip()
    {
        var ep = Export(new DynamicShapesExample3(), [Randn(8, 16), Randn(16, 32)],
            dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = Dim.Auto, [1] = Dim.Auto }, ["y"] = new() { [0] = Dim.Auto, [1] = Dim.Auto } });
        RoundTrip.AssertExact(ep, Inputs(25, [8, 16], [16, 32]), Inputs(26, [5, 16], [16, 17]));
    }

    [Fact]
    public void Loaded_dynamic_programs_decompose_like_the_originals()
    {
        ManualSeed(27);
        var dx = new Dim("dx", min: 3, max: 6);
        var programs = new[]
        {
            Export(new FlattenHead(), [Randn(4, 3, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("batch") } }),
            Export(new DerivedDimExample2(), [Randn(4), Randn(10)], dynamicShapes: DynamicShapes.Positional(new() { [0] = dx + 1 }, new() { [0] = dx * 3 + 1 })),
            Export(new EverySecondRow(), [Randn(9, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("rows") } }),
        };
        foreach (var ep in programs)
        {
            var loaded = RoundTrip.SaveAndLoad(ep);
            Assert.Equal(ep.RunDecompositions().ToString(), loaded.RunDecompositions().ToString());
        }
    }

    [Fact]
    public void Programs_decomposed_to_the_core_opset_round_trip()
    {
        ManualSeed(28);
        var linear = Export(new MyModule(), [Randn(8, 100), Randn(8, 100)]).RunDecompositions();
        RoundTrip.AssertExact(linear, Inputs(29, [8, 100], [8, 100]));
        var flatten = Export(new FlattenHead(), [Randn(4, 3, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("batch") } }).RunDecompositions();
        RoundTrip.AssertExact(flatten, Inputs(30, [6, 3, 4]));
        var batchNorm = Export(new BatchNorm2d(3), [Randn(4, 3, 5, 5)]).RunDecompositions();
        RoundTrip.AssertExact(batchNorm, Inputs(31, [4, 3, 5, 5]));
    }
}
