using Graphport.Operators;
using Graphport.Shapes;

namespace Graphport.Tests.Operators;

/// <summary>What a Scalar parameter accepts when an op is called while tracing.</summary>
public class ScalarArgumentTests
{
    [Fact]
    public void A_symbolic_size_comparison_is_a_scalar_and_stays_symbolic()
    {
        // Re-tracing a program with run-time assertions passes _assert_scalar the symbolic condition.
        var env = new ShapeEnv();
        var s = env.CreateSymbol(4, ValueRange.DefaultSize, "x.Shape[0]");
        var op = Torch.Ops["aten::_assert_scalar"];
        var bound = ArgumentBinder.Bind(op, [s <= 5, "message"], null);
        var condition = Assert.IsType<SymBool>(bound[0]);
        Assert.True(condition.IsSymbolic);
    }

    [Fact]
    public void A_decided_comparison_becomes_a_plain_bool()
    {
        var op = Torch.Ops["aten::_assert_scalar"];
        var bound = ArgumentBinder.Bind(op, [new SymBool(true), "message"], null);
        Assert.Equal(true, bound[0]);
    }
}
