using Graphport.Shapes;

namespace Graphport.Tests.SymbolicShapes;

public class ShapeEnvTests
{
    [Fact]
    public void Comparisons_decided_by_ranges_add_no_guard()
    {
        var env = new ShapeEnv();
        var s = env.CreateSymbol(8, ValueRange.DefaultSize, "x.Shape[0]");
        Assert.False(s == 1);
        Assert.True(s >= 2);
        Assert.Empty(env.Guards);
    }

    [Fact]
    public void Branching_on_a_size_records_a_guard_and_narrows_the_range()
    {
        var env = new ShapeEnv();
        var s = env.CreateSymbol(8, ValueRange.DefaultSize, "x.Shape[0]");
        Assert.True(s <= 16);
        var guard = Assert.Single(env.Guards);
        Assert.Equal("s0 <= 16", guard.Expr.ToString());
        Assert.Equal(new ValueRange(2, 16), env.InfoOf((SymbolAtom)s.Expr.FreeSymbols().Single()).Range);
        // Now implied: no second guard.
        Assert.True(s < 100);
        Assert.Single(env.Guards);
    }

    [Fact]
    public void Equality_of_two_sizes_replaces_the_newer_symbol()
    {
        var env = new ShapeEnv();
        var a = env.CreateSymbol(16, new ValueRange(2, 40), "x.Shape[1]");
        var b = env.CreateSymbol(16, new ValueRange(4, ValueRange.Infinity), "y.Shape[0]");
        Assert.True(a == b);
        Assert.Equal(a.Expr, env.Simplify(b.Expr));
        var atomA = a.Expr.FreeSymbols().Single();
        Assert.Equal(new ValueRange(4, 40), env.RangeOf(atomA));
        Assert.True((a - b).AsConstant is null || (a - b).AsConstant == 0);
        Assert.Equal(0L, new SymInt(env.Simplify((a - b).Expr), env).AsConstant);
    }

    [Fact]
    public void Converting_to_long_specializes_with_a_guard()
    {
        var env = new ShapeEnv();
        var s = env.CreateSymbol(5, ValueRange.DefaultSize, "x.Shape[0]");
        long value = (long)s;
        Assert.Equal(5, value);
        Assert.Equal("s0 == 5", Assert.Single(env.Guards).Expr.ToString());
        Assert.Equal(SymExpr.Constant(5), env.Simplify(s.Expr));
    }

    [Fact]
    public void Branching_on_an_unbacked_symbol_is_a_data_dependent_error()
    {
        var env = new ShapeEnv();
        var u = env.CreateUnbackedSymbol("x.Item()");
        var e = Assert.Throws<DataDependentException>(() => { if (u > 0) { } });
        Assert.Contains("Could not guard on data-dependent expression u0 > 0", e.Message);
    }

    [Fact]
    public void Example_values_outside_the_range_are_rejected()
    {
        var env = new ShapeEnv();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => env.CreateSymbol(10, new ValueRange(11, 18), "x.Shape[1]"));
        Assert.Contains("10 not in range [11, 18]", e.Message);
    }
}
