using System.Diagnostics;

namespace Graphport.Cli.Tests;

/// <summary>Commands against a silo `graphport silo` started: through its gateway, never beside it, and a clear line when it is not there.</summary>
public sealed class ClusterConnectionTests : IDisposable
{
    private readonly TempHome home = new();
    private readonly TempHome elsewhere = new();

    public void Dispose()
    {
        home.Dispose();
        elsewhere.Dispose();
    }

    // The client's home is another folder, so nothing here can pass by running an embedded silo of its own.
    private CliRun Client(params string[] args) => CliRun.With(elsewhere.Environment, args);

    [Fact]
    public async Task Commands_given_the_gateway_of_a_localhost_silo_store_and_list_programs_there()
    {
        await using var silo = await StandingSilo.StartAsync(home.Environment, "--name", "cli-silo");
        Assert.True(silo.ExitCode is null, silo.Output);
        Assert.Contains($"Clients connect with --cluster 127.0.0.1:{silo.GatewayPort}.", silo.Output);

        var export = Client("export", "zoo:mlp", "--cluster", $"127.0.0.1:{silo.GatewayPort}");
        var list = Client("programs", "list", "--cluster", $"localhost:{silo.GatewayPort}");

        Assert.True(export.ExitCode == 0, export.Out + export.Error);
        Assert.StartsWith("Exported zoo:mlp as mlp@1", export.Out);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(list.Out.Split('\n'), l => l.StartsWith("mlp ", StringComparison.Ordinal));
        Assert.False(Directory.Exists(elsewhere.Path));
        Assert.Equal(0, await silo.StopAsync());
        // The silo stored it in its home, which embedded silos may use again once it has stopped.
        var after = CliRun.With(home.Environment, "programs", "list");
        Assert.Contains(after.Out.Split('\n'), l => l.StartsWith("mlp ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_on_the_home_of_a_running_silo_is_refused_with_that_silos_gateway_instead_of_starting_a_second_silo()
    {
        await using var silo = await StandingSilo.StartAsync(home.Environment, "--name", "cli-silo");

        var run = CliRun.With(home.Environment, "programs", "list");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error (Unavailable): The data folder {home.Path} is served by silo 'cli-silo' (process {Environment.ProcessId}, cluster 'graphport', gateway 127.0.0.1:{silo.GatewayPort}, since ", run.Error);
        Assert.EndsWith($"  fix: add --cluster 127.0.0.1:{silo.GatewayPort} to use that silo, or stop it first\n", run.Error);
        Assert.Equal(2, run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task A_second_silo_on_the_same_home_does_not_start_and_names_the_first()
    {
        await using var first = await StandingSilo.StartAsync(home.Environment, "--name", "first-silo");

        await using var second = await StandingSilo.StartAsync(home.Environment, "--name", "second-silo");

        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"error: the silo did not start: The data folder {home.Path} is already served by silo 'first-silo'", second.Output);
        Assert.DoesNotContain("   at ", second.Output);
    }

    [Fact]
    public void A_gateway_where_no_silo_listens_is_one_clear_error_within_seconds_and_no_stack_trace()
    {
        int port = StandingSilo.FreePort();
        var watch = Stopwatch.StartNew();

        var run = Client("programs", "list", "--cluster", $"127.0.0.1:{port}");

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Out);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"error (Unavailable): Could not connect to cluster 'graphport' through gateway 127.0.0.1:{port}: Unable to connect to 127.0.0.1:{port}. Error: ConnectionRefused (", lines[0]);
        Assert.Matches(@"\(\d+ attempts in [0-5]\.\d s\)\. Is a silo of cluster 'graphport' running there\?$", lines[0]);
        Assert.StartsWith($"  fix: start a silo there with graphport silo (gateway port {port}: --gateway-port {port})", lines[1]);
        Assert.False(Directory.Exists(elsewhere.Path));
    }

    [Theory]
    [InlineData("programs list --cluster nonsense", "--cluster: 'nonsense' is not HOST:PORT with a port from 1 to 65535; write gateway addresses HOST:PORT[,HOST:PORT...]")]
    [InlineData("programs list --cluster 127.0.0.1:99999", "--cluster: '127.0.0.1:99999' is not HOST:PORT with a port from 1 to 65535")]
    [InlineData("silo --cluster 127.0.0.1:30000", "--cluster '127.0.0.1:30000' is a gateway address, which is how clients find a silo; a silo joins a cluster through its Azure Storage connection string")]
    public void A_cluster_address_in_neither_form_is_a_usage_error(string commandLine, string expected)
    {
        var run = Client(commandLine.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected, run.Error);
        Assert.False(Directory.Exists(elsewhere.Path));
    }
}
