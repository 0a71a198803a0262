namespace Graphport.Cli.Tests;

/// <summary>Several graphport commands at once on one data folder, as from several terminals.</summary>
public sealed class ConcurrentRunTests : IDisposable
{
    private readonly TempHome home = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task Simultaneous_exports_to_one_home_all_succeed_each_with_its_own_version()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => CliRun.With(home.Environment, "export", "zoo:mlp"))));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Out + run.Error));
        Assert.All(runs, run => Assert.DoesNotContain("fail:", run.Error));
        var versions = runs.Select(run => run.Out.Split('\n')[0]).Order(StringComparer.Ordinal).Select(line => line.Split(' ')[3]).ToList();
        Assert.Equal(["mlp@1", "mlp@2", "mlp@3"], versions);
        var show = CliRun.With(home.Environment, "programs", "show", "mlp");
        Assert.StartsWith("mlp: 3 version(s)\n", show.Out);
    }
}
