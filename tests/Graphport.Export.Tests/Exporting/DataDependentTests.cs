using Microsoft.Extensions.Logging;
using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

/// <summary>Branches on a value read out of a tensor.</summary>
public sealed class BranchesOnItem : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        double total = x.Sum().Item();
        if (total > 0) // LINE:itembranch
            return x * 2;
        return x;
    }
}

/// <summary>Reads a value out of a tensor but only uses it as a number.</summary>
public sealed class ScalesByItem : Module<Tensor, Tensor>
{
    private readonly Tensor scale = Torch.Tensor(new float[] { 3 });

    public override Tensor Forward(Tensor x) => x * scale.Item();
}

public class DataDependentTests
{
    [Fact]
    public void Item_feeding_a_branch_is_a_strict_graph_break_at_the_branch()
    {
        var e = Assert.Throws<GraphBreakException>(() => Export(new BranchesOnItem(), [Randn(3)]));
        Assert.Equal(Graphport.Analysis.GraphBreakKind.DataDependentValue, e.Break.Kind);
        Assert.Contains("Item()", e.Message);
    }

    [Fact]
    public void Item_on_a_traced_tensor_in_non_strict_mode_is_a_data_dependent_error()
    {
        var e = Assert.Throws<DataDependentException>(() => Export(new BranchesOnItem(), [Randn(3)], strict: false));
        Assert.Contains("Item() reads tensor data, which is unknown while tracing", e.Message);
    }

    [Fact]
    public void Item_of_a_real_captured_tensor_is_a_constant()
    {
        ManualSeed(52);
        var ep = Export(new ScalesByItem(), [Randn(3)]);
        var x = Randn(3);
        Assert.True(ep.Module().Call(x).AllClose(x * 3, 0, 0));
    }

    [Fact]
    public void GRAPHPORT_LOGS_switches_the_dynamic_channel_on_and_off()
    {
        try
        {
            GraphportLogging.ApplyEnvironment("dynamic");
            Assert.True(GraphportLogging.Dynamic.IsEnabled(LogLevel.Information));
            Assert.False(GraphportLogging.Dynamic.IsEnabled(LogLevel.Debug));
            GraphportLogging.ApplyEnvironment("+dynamic,export");
            Assert.True(GraphportLogging.Dynamic.IsEnabled(LogLevel.Debug));
            Assert.True(GraphportLogging.Export.IsEnabled(LogLevel.Information));
        }
        finally
        {
            GraphportLogging.ApplyEnvironment(null);
        }
        Assert.False(GraphportLogging.Dynamic.IsEnabled(LogLevel.Information));
    }
}
