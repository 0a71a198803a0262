using Graphport.Analysis;
using Graphport.Tests.Analysis.Subjects;

namespace Graphport.Tests.Analysis;

public sealed class ExceptionHandlingTests
{
    private static readonly string Source = Throws.SourceFile;

    [Fact]
    public void Throw_is_reported_at_the_throw_statement()
    {
        var found = BreakAssert.SingleAt(BreakAssert.FindIn<Throws>(), GraphBreakKind.ExceptionHandling,
            Source, "throw", "throw new ArgumentNullException(nameof(x));", "Throws.Forward");
        Assert.Equal(GraphBreakMessages.ExceptionHandling, found.Message);
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
