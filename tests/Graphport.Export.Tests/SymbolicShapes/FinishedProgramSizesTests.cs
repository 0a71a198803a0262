using Graphport.Graphs;
using static Graphport.Torch;
using F = Graphport.Functional;

namespace Graphport.Tests.SymbolicShapes;

/// <summary>
/// The sizes of an exported program are fixed as traced. Reading one after export (a cast to long, a comparison
/// its range does not decide) would specialize the program or narrow its range behind the user's back, and the
/// program would stop accepting other sizes; so outside tracing it is refused with the way to read it instead.
/// </summary>
public class FinishedProgramSizesTests
{
    private sealed class Classifier : Module<Tensor, Tensor>
    {
        private readonly Linear fc = new(8, 3);

        public override Tensor Forward(Tensor x) => F.Relu(fc.Forward(x));
    }

    private static (ExportedProgram Program, SymInt Batch) ExportWithDynamicBatch()
    {
        var program = Export(new Classifier(), [Randn(4, 8)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("batch", min: 2, max: 64) } });
        var x = (TensorMeta)program.Graph.Placeholders.Last().Value!;
        return (program, x.Shape[0]);
    }

    [Fact]
    public void Casting_a_dynamic_size_of_an_exported_program_is_refused_and_the_program_stays_dynamic()
    {
        ManualSeed(61);
        var (program, batch) = ExportWithDynamicBatch();
        var error = Assert.Throws<InvalidOperationException>(() => (long)batch);
        Assert.Contains("s0 in [2, 64]", error.Message);
        Assert.Contains("Hint", error.Message);
        Assert.Equal(4, batch.Hint);

        var core = program.RunDecompositions();
        Assert.Equal("{s0: [2, 64]}", core.RangeConstraints.ToString());
        var x = Randn(7, 8);
        Assert.True((core.Module().Call(x) - program.Module().Call(x)).Abs().Max().Item() == 0);
    }

    [Fact]
    public void A_comparison_its_range_does_not_decide_is_refused_one_it_decides_is_answered()
    {
        var (program, batch) = ExportWithDynamicBatch();
        Assert.True(batch >= 2);
        Assert.False(batch > 64);
        var error = Assert.Throws<InvalidOperationException>(() => (bool)(batch > 10));
        Assert.Contains("s0 in [2, 64]", error.Message);
        Assert.Equal("{s0: [2, 64]}", program.RangeConstraints.ToString());
    }
}
