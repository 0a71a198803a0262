using Graphport.Shapes;

namespace Graphport.Tests.SymbolicShapes;

public class SymExprTests
{
    private static readonly SymbolAtom S0 = new(0, "s0", unbacked: false);
    private static readonly SymbolAtom S1 = new(1, "s1", unbacked: false);
    private static SymExpr X => SymExpr.Of(S0);
    private static SymExpr Y => SymExpr.Of(S1);

    [Fact]
    public void Polynomial_normal_form_makes_equal_expressions_equal()
    {
        Assert.Equal(X * Y, Y * X);
        Assert.Equal(X, X + 1 - 1);
        Assert.Equal((X + Y) * 2, X * 2 + Y + Y);
        Assert.True((X - X).IsConstant);
        Assert.Equal(0, (X - X).ConstantValue);
    }

    [Fact]
    public void Floor_division_pulls_out_divisible_terms()
    {
        // y[1::3] on a size 3*dx + 1 has (3*dx + 1 - 1 + 2) // 3 = dx elements.
        Assert.Equal(X, SymExpr.FloorDiv(X * 3 + 2, SymExpr.Constant(3)));
        Assert.Equal(X + 1, SymExpr.FloorDiv(X * 4 + 5, SymExpr.Constant(4)));
        Assert.Equal(SymExpr.Constant(-2), SymExpr.FloorDiv(SymExpr.Constant(-7), SymExpr.Constant(4)));
        var atom = SymExpr.FloorDiv(X + 1, SymExpr.Constant(2));
        Assert.False(atom.IsConstant);
        Assert.Equal("(s0 + 1)//2", atom.ToString());
    }

    [Fact]
    public void Modulo_follows_python_and_simplifies_multiples()
    {
        Assert.Equal(SymExpr.Constant(1), SymExpr.Mod(SymExpr.Constant(-7), SymExpr.Constant(4)));
        Assert.Equal(SymExpr.Constant(1), SymExpr.Mod(X * 6 + 7, SymExpr.Constant(3)));
    }

    [Fact]
    public void Evaluation_and_bounds_agree_on_random_points()
    {
        var rng = new Random(7);
        var e = SymExpr.FloorDiv(X * 3 + Y * 2 + 5, SymExpr.Constant(2)) + SymExpr.Max(X, Y * 2) - SymExpr.Mod(X, SymExpr.Constant(5));
        var rx = new ValueRange(2, 40);
        var ry = new ValueRange(3, 9);
        var bound = e.Bound(s => s == S0 ? rx : ry);
        for (int i = 0; i < 200; i++)
        {
            long x = rng.Next(2, 41), y = rng.Next(3, 10);
            long expected = ValueRange.FloorDivide(3 * x + 2 * y + 5, 2) + Math.Max(x, 2 * y) - ValueRange.PythonMod(x, 5);
            long actual = e.Evaluate(s => s == S0 ? x : y);
            Assert.Equal(expected, actual);
            Assert.True(bound.Contains(actual), $"{actual} outside {bound}");
        }
    }

    [Fact]
    public void A_factor_every_term_shares_bounds_the_expression_as_a_product()
    {
        // s0*s1 - s0 = s0 * (s1 - 1): never 0 for s0 in [1, 8] and s1 in [2, 64], which term by term ([2, 512] - [1, 8])
        // could not tell. An attention layer's view over a dynamic batch from 1 asks exactly this.
        var rx = new ValueRange(1, 8);
        var ry = new ValueRange(2, 64);
        var e = X * Y - X;
        var bound = e.Bound(s => s == S0 ? rx : ry);
        Assert.Equal(new ValueRange(1, 504), bound);
        var squared = X * X * Y + X * X * 3 - X * Y * 2;
        var squaredBound = squared.Bound(s => s == S0 ? rx : ry);
        var rng = new Random(Environment.TickCount);
        for (int i = 0; i < 200; i++)
        {
            long x = rng.Next(1, 9), y = rng.Next(2, 65);
            Assert.True(bound.Contains(x * y - x));
            Assert.True(squaredBound.Contains(x * x * y + 3 * x * x - 2 * x * y), $"x={x}, y={y}: outside {squaredBound}");
        }
    }

    [Fact]
    public void Rendering_reads_like_sympy()
    {
        Assert.Equal("2*s0 + 1", (X * 2 + 1).ToString());
        Assert.Equal("s0*s1 - 1", (X * Y - 1).ToString());
        Assert.Equal("-s0 + 5", (SymExpr.Constant(5) - X).ToString());
        Assert.Equal("x.Shape[0] + 1", (X + 1).Render(s => s == S0 ? "x.Shape[0]" : "?"));
    }

    [Fact]
    public void Linear_coefficients_are_found_only_for_linear_expressions()
    {
        var c = (X * 3 - Y + 4).LinearCoefficients()!;
        Assert.Equal(3, c[S0]);
        Assert.Equal(-1, c[S1]);
        Assert.Null((X * Y).LinearCoefficients());
    }
}
