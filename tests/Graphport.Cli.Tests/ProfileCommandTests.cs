using System.Text.Json;

namespace Graphport.Cli.Tests;

/// <summary>graphport profile: where a CPU call of a program goes, per op and per node, frozen as executors run it.</summary>
public class ProfileCommandTests
{
    [Fact]
    public void A_zoo_model_is_profiled_frozen_per_op_with_its_slowest_nodes()
    {
        var run = CliRun.Of("profile", "zoo:mlp", "--batch", "4", "--runs", "3", "--top", "2", "--warmup", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("zoo:mlp on the CPU (frozen, as executors run it): the median of 3 profiled calls", run.Out);
        // Warmed up for the second asked.
        var warm = Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.Out, @"after (\d+) warm-up calls in (\d+\.\d) s"));
        Assert.True(double.Parse(warm.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1.0, warm.Value);
        Assert.Contains("frozen: matrix product with packed weight", run.Out);
        Assert.Contains("Slowest 2 nodes:", run.Out);
        Assert.Matches(@"\d+ nodes: [0-9.]+ ms; the whole call: [0-9.]+ ms", run.Out);
    }

    [Fact]
    public void Unfrozen_and_json_give_the_ops_as_written_with_every_node()
    {
        var run = CliRun.Of("profile", "zoo:mlp", "--runs", "2", "--unfrozen", "--json", "--warmup", "0");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.False(root.GetProperty("frozen").GetBoolean());
        // No warm-up time asked: three calls all the same.
        Assert.Equal(3, root.GetProperty("warmUp").GetProperty("calls").GetInt32());
        var targets = root.GetProperty("byTarget").EnumerateArray().Select(t => t.GetProperty("target").GetString()).ToList();
        Assert.Contains("aten.addmm.default", targets);
        Assert.DoesNotContain(targets, t => t!.StartsWith("frozen:", StringComparison.Ordinal));
        double nodes = root.GetProperty("nodes").EnumerateArray().Sum(n => n.GetProperty("milliseconds").GetDouble());
        Assert.True(nodes > 0 && nodes <= root.GetProperty("totalMs").GetDouble() + 1e-9);
    }

    [Theory]
    [InlineData("model.onnx", "import it first")]
    [InlineData("zoo:nope", "No zoo model named \"nope\"")]
    public void What_it_cannot_run_is_a_usage_error_that_says_what_to_do(string source, string message)
    {
        var run = CliRun.Of("profile", source);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public void A_bad_option_value_names_the_range()
    {
        var run = CliRun.Of("profile", "zoo:mlp", "--runs", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--runs must be a whole number from 1 to 1000, got '0'.", run.Error);
        Assert.Contains("--warmup must be a whole number from 0 to 120, got '0.5'.", CliRun.Of("profile", "zoo:mlp", "--warmup", "0.5").Error);
    }
}
