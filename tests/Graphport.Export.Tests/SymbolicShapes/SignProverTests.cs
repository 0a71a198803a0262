using Graphport.Shapes;

namespace Graphport.Tests.SymbolicShapes;

public class SignProverTests
{
    [Fact]
    public void Floor_division_and_min_are_bounded_by_their_arguments()
    {
        var env = new ShapeEnv();
        var s = env.CreateSymbol(8, ValueRange.DefaultSize, "x.Shape[0]");
        Assert.True((s + 1) / 2 <= s);
        Assert.True(SymInt.Min(s, 100) <= s);
        Assert.True(s / 2 < s);
        Assert.True(SymInt.Max(s, 3) >= s);
        Assert.Empty(env.Guards);
    }

    [Fact]
    public void Statements_that_do_not_always_hold_still_need_a_guard()
    {
        var env = new ShapeEnv();
        var s = env.CreateSymbol(8, ValueRange.DefaultSize, "x.Shape[0]");
        Assert.True(s / 2 >= 3);
        Assert.Single(env.Guards);
    }
}
