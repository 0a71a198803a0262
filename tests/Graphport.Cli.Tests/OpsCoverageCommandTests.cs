namespace Graphport.Cli.Tests;

public class OpsCoverageCommandTests
{
    [Fact]
    public void Coverage_prints_the_core_aten_counts_first()
    {
        var run = CliRun.Of("ops", "coverage");
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^core ops: \d+/193, with CPU kernel: \d+, with meta: \d+\n", run.Out);
    }

    [Fact]
    public void Coverage_rejects_stray_arguments_with_a_usage_error()
    {
        var run = CliRun.Of("ops", "coverage", "extra");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unexpected argument 'extra'", run.Error);
    }
}
