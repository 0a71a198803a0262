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
        int siloPort = FreePort(), gatewayPort = FreePort();

        var run = Task.Run(() => CliCommands.Dispatcher.Run(["silo", "--name", "test-silo", "--gpu", "--device", "Test GPU", "--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}"], context));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!output.ToString().Contains("ready", StringComparison.Ordinal) && !run.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(100);
        string ready = output.ToString();
        stop.Cancel();
        int code = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(code == 0, output + error.ToString());
        Assert.Contains($"Silo test-silo ready: cluster graphport, Localhost clustering, LocalFolder storage in {home.Path}, silo port {siloPort}, gateway port {gatewayPort}, device cuda:0.", ready);
        Assert.Contains("Silo test-silo stopped.", output.ToString());
    }
}
