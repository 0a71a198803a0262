using System.Net;
using System.Net.Sockets;

namespace Graphport.Cli.Tests;

/// <summary>graphport silo: starts, says where it listens, and stops when asked.</summary>
public sealed class SiloCommandTests : IDisposable
{
    private readonly TempHome home = new();

    public void Dispose() => home.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_localhost_silo_starts_reports_ready_and_stops_on_cancellation()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var context = new CommandContext(TextWriter.Synchronized(output), TextWriter.Synchronized(error), Environment.CurrentDirectory)
        {
            Environment = name => home.Environment.GetValueOrDefault(name),
            Cancellation = stop.Token,
        };
        int siloPort = FreePort(), gatewayPort = FreePort(), healthPort = FreePort();

        var run = Task.Run(() => CliCommands.Dispatcher.Run(["silo", "--name", "test-silo", "--gpu", "--device", "Test GPU", "--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}", "--http-port", $"{healthPort}"], context));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!output.ToString().Contains("ready", StringComparison.Ordinal) && !run.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(100);
        string ready = output.ToString();
        // A load balancer or an orchestrator can ask it over HTTP.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var live = await http.GetAsync($"http://127.0.0.1:{healthPort}/healthz/live");
        string liveText = await live.Content.ReadAsStringAsync();
        stop.Cancel();
        int code = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(code == 0, output + error.ToString());
        Assert.Contains($"Silo test-silo ready: cluster graphport, Localhost clustering, LocalFolder storage in {home.Path}, silo port {siloPort}, gateway port {gatewayPort}, device cuda:0.", ready);
        Assert.Contains("Silo test-silo stopped.", output.ToString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy\ndevice: Healthy - device cuda:0\n", liveText);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("http")]
    public void A_health_port_that_is_not_a_port_is_a_usage_error_before_anything_starts(string port)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CommandContext(output, error, Environment.CurrentDirectory) { Environment = name => home.Environment.GetValueOrDefault(name) };

        int code = CliCommands.Dispatcher.Run(["silo", "--http-port", port], context);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--http-port must be a port from 1 to 65535, got '{port}'.", error.ToString());
        Assert.Empty(output.ToString());
    }
}
