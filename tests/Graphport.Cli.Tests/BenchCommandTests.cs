using System.Text.Json;

namespace Graphport.Cli.Tests;

/// <summary>graphport bench: batching off vs on against an embedded silo (a tiny load; the numbers are not judged).</summary>
public class BenchCommandTests
{
    [Fact]
    public void Bench_serves_every_request_in_both_configurations_and_reports_batched_runs()
    {
        var run = CliRun.Of("bench", "--callers", "8", "--requests", "3", "--warmup", "2", "--delay-ms", "50", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(2, json.RootElement.GetProperty("warmupPerCaller").GetInt32());
        var off = json.RootElement.GetProperty("off");
        var on = json.RootElement.GetProperty("on");
        Assert.Equal(24, off.GetProperty("requests").GetInt32());
        Assert.Equal(24, on.GetProperty("requests").GetInt32());
        Assert.Equal(1.0, off.GetProperty("meanBatch").GetDouble());
        Assert.True(on.GetProperty("meanBatch").GetDouble() > 1, run.Out);
    }

    [Theory]
    [InlineData("--model", "vgg16", "Unknown zoo model 'vgg16'")]
    [InlineData("--max-batch", "1", "--max-batch must be a whole number from 2")]
    [InlineData("--delay-ms", "-3", "--delay-ms must be a number of milliseconds")]
    [InlineData("--warmup", "-1", "--warmup")]
    public void Bad_options_are_usage_errors_naming_the_option(string option, string value, string message)
    {
        var run = CliRun.Of("bench", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
    }
}
