using System.Net;
using System.Net.Sockets;

namespace Graphport.Cli.Tests;

/// <summary>`graphport silo` run in this process on free ports, as another terminal would run it; stopped on dispose.</summary>
public sealed class StandingSilo : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private Task<int> run = Task.FromResult(0);

    public int GatewayPort { get; } = FreePort();

    public int SiloPort { get; } = FreePort();

    public string Output => output.ToString() + error;

    public int? ExitCode => run.IsCompleted ? run.Result : null;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts `graphport silo ARGS --silo-port P --gateway-port G` and waits until it says it is ready.</summary>
    public static async Task<StandingSilo> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var silo = new StandingSilo();
        var context = new CommandContext(TextWriter.Synchronized(silo.output), TextWriter.Synchronized(silo.error), Environment.CurrentDirectory)
        {
            Environment = name => environment.GetValueOrDefault(name),
            Cancellation = silo.stop.Token,
        };
        string[] command = ["silo", .. args, "--silo-port", $"{silo.SiloPort}", "--gateway-port", $"{silo.GatewayPort}"];
        silo.run = Task.Run(() => CliCommands.Dispatcher.Run(command, context));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!silo.output.ToString().Contains(" ready: ", StringComparison.Ordinal) && !silo.run.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(100);
        return silo;
    }

    /// <summary>Stops the silo (as Ctrl+C does) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await stop.CancelAsync();
        return await run.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (!run.IsCompleted) await StopAsync();
        stop.Dispose();
    }
}
