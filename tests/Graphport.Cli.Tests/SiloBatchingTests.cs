using Graphport.Cli.Commands;
using Graphport.Client;
using Graphport.Grains;
using Graphport.Silo;
using Microsoft.Extensions.Configuration;
using Orleans;

namespace Graphport.Cli.Tests;

/// <summary>graphport silo --max-batch N --max-queue-delay MS: dynamic batching, as Graphport:Batching sets it for the runnable silo.</summary>
public sealed class SiloBatchingTests : IDisposable
{
    private readonly TempHome home = new();

    public void Dispose() => home.Dispose();

    private GraphportSiloOptions OptionsFrom(params string[] args)
    {
        var command = new SiloCommand();
        var context = new CommandContext(TextWriter.Null, TextWriter.Null, Environment.CurrentDirectory) { Environment = name => home.Environment.GetValueOrDefault(name) };
        return SiloCommand.OptionsFrom(CommandArguments.Parse(args, command.Flags, command.Options), context);
    }

    [Fact]
    public void The_flags_set_the_batching_options_the_runnable_silo_reads_from_Graphport_Batching()
    {
        var fromFlags = OptionsFrom("--max-batch", "8", "--max-queue-delay", "0.5");
        var fromConfiguration = GraphportSiloHost.OptionsFrom(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Graphport:Batching:MaxBatchSize"] = "8",
            ["Graphport:Batching:MaxQueueDelay"] = "00:00:00.0005",
        }).Build());

        Assert.True(fromFlags.Batching.Enabled);
        Assert.Equal(8, fromFlags.Batching.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(0.5), fromFlags.Batching.MaxQueueDelay);
        Assert.Equal((fromConfiguration.Batching.MaxBatchSize, fromConfiguration.Batching.MaxQueueDelay), (fromFlags.Batching.MaxBatchSize, fromFlags.Batching.MaxQueueDelay));
    }

    [Fact]
    public void Without_the_flags_batching_is_off_as_on_a_silo_configured_without_it()
    {
        var options = OptionsFrom();
        var configured = GraphportSiloHost.OptionsFrom(new ConfigurationBuilder().Build());

        Assert.False(options.Batching.Enabled);
        Assert.Equal((configured.Batching.MaxBatchSize, configured.Batching.MaxQueueDelay), (options.Batching.MaxBatchSize, options.Batching.MaxQueueDelay));
        Assert.Equal(8, OptionsFrom("--max-batch", "8").Batching.MaxBatchSize);
        Assert.Equal(configured.Batching.MaxQueueDelay, OptionsFrom("--max-batch", "8").Batching.MaxQueueDelay);
    }

    [Theory]
    [InlineData("--max-batch 0", "--max-batch must be a whole number from 1 to 4096, got '0'.")]
    [InlineData("--max-batch 5000", "--max-batch must be a whole number from 1 to 4096, got '5000'.")]
    [InlineData("--max-batch eight", "--max-batch must be a whole number from 1 to 4096, got 'eight'.")]
    [InlineData("--max-batch 8 --max-queue-delay -1", "--max-queue-delay must be a number of milliseconds from 0 to 10000 (2, or 0.5), got '-1'.")]
    [InlineData("--max-batch 8 --max-queue-delay 20000", "--max-queue-delay must be a number of milliseconds from 0 to 10000 (2, or 0.5), got '20000'.")]
    [InlineData("--max-batch 8 --max-queue-delay 2ms", "--max-queue-delay must be a number of milliseconds from 0 to 10000 (2, or 0.5), got '2ms'.")]
    [InlineData("--max-queue-delay 5", "--max-queue-delay only applies with dynamic batching on: add --max-batch N with N above 1.")]
    [InlineData("--max-batch 1 --max-queue-delay 5", "--max-queue-delay only applies with dynamic batching on")]
    public void Bad_batching_values_are_usage_errors_before_anything_starts(string flags, string expected)
    {
        var run = CliRun.With(home.Environment, ["silo", .. flags.Split(' ')]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected, run.Error);
        Assert.Empty(run.Out);
        Assert.False(Directory.Exists(home.Path));
    }

    [Fact]
    public async Task A_silo_started_with_max_batch_serves_concurrent_requests_in_shared_runs()
    {
        await using var silo = await StandingSilo.StartAsync(home.Environment, "--max-batch", "8", "--max-queue-delay", "500");
        Assert.Contains("Dynamic batching: up to 8 requests per run, the first waiting at most 500 ms for others.", silo.Output);
        await using var client = await GraphportClient.ConnectAsync(GraphportClientOptions.ForCluster($"127.0.0.1:{silo.GatewayPort}"));
        var exported = await client.ExportAsync("zoo:mlp");
        var executor = client.Cluster.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program));
        await client.InvokeAsync(exported.Program, [Torch.Randn(2, 784)]);
        var before = await executor.GetStatusAsync();

        await Task.WhenAll(Enumerable.Range(1, 8).Select(rows => client.InvokeAsync(exported.Program, [Torch.Randn(rows, 784)])));

        var after = await executor.GetStatusAsync();
        Assert.Equal(8, after.Invocations - before.Invocations);
        Assert.True(after.BackendRuns - before.BackendRuns < 8, $"8 requests took {after.BackendRuns - before.BackendRuns} runs");
    }
}
