using Graphport.Analysis;
using Graphport.Tests.Analysis.Subjects;

namespace Graphport.Tests.Analysis;

public sealed class ExceptionHandlingTests
{
    private static readonly string Source = Throws.SourceFile;

    [Fact]
    public void A_throw_that_no_catch_intercepts_is_an_error_exit_not_a_graph_break()
    {
        // Argument checks abort export with the user's exception if they fire, as eager code would.
        Assert.Empty(BreakAssert.FindIn<Throws>());
    }

    [Fact]
    public void A_throw_inside_a_try_with_a_catch_is_reported_at_the_throw_statement()
    {
        var breaks = BreakAssert.FindIn<ThrowsIntoCatch>();
        var thrown = Assert.Single(breaks, b => b.Location!.Code!.StartsWith("throw", StringComparison.Ordinal));
        Assert.Equal(GraphBreakKind.ExceptionHandling, thrown.Kind);
        Assert.Equal(GraphBreakMessages.ExceptionHandling, thrown.Message);
        Assert.Equal("throw new InvalidOperationException(\"bad\"); // BREAK:caughtthrow", thrown.Location!.Code);
    }

    [Fact]
    public void Try_catch_is_reported_at_the_first_statement_of_the_try_block()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<CatchesException>(), GraphBreakKind.ExceptionHandling,
            Source, "try", "return x * 2f;", "CatchesException.Forward");
    }

    [Fact]
    public void Using_foreach_and_lock_generate_only_finally_regions_and_are_allowed()
    {
        Assert.Empty(BreakAssert.FindIn<UsesUsingForeachAndLock>());
    }
}
