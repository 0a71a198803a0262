using System.Diagnostics;
using System.Text;

namespace Graphport.Cluster.Tests.Azure;

/// <summary>
/// A Graphport silo in a process of its own (the Graphport.Silo app copied next to the tests), on Azure Table
/// clustering and Azure Blob storage, so a test can kill it the way a machine dies: no shutdown, no goodbye.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private SiloProcess(Process process, int siloPort)
    {
        this.process = process;
        SiloPort = siloPort;
    }

    public int SiloPort { get; }

    public bool HasExited => process.HasExited;

    /// <summary>What the silo wrote so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    public static SiloProcess Start(string connection, string clusterId, string name)
    {
        int siloPort = AzuriteFixture.FreePort();
        return Start(new Dictionary<string, string>
        {
            ["Graphport:Clustering"] = "AzureTable",
            ["Graphport:Storage"] = "AzureBlob",
            ["Graphport:AzureConnectionString"] = connection,
            ["Graphport:ClusterId"] = clusterId,
            ["Graphport:SiloName"] = name,
            ["Graphport:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Graphport:GatewayPort"] = AzuriteFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Graphport:LogLevel"] = "Warning",
        }, siloPort);
    }

    /// <summary>The silo app with these settings (--Key=Value) and changes to its environment (null removes a variable).</summary>
    public static SiloProcess Start(IReadOnlyDictionary<string, string> settings, int siloPort, IReadOnlyDictionary<string, string?>? environment = null)
    {
        string app = Path.Combine(AppContext.BaseDirectory, "Graphport.Silo.dll");
        if (!File.Exists(app)) throw new FileNotFoundException($"The silo app is not next to the tests ({app}); build the solution first.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(app);
        foreach (var (key, value) in settings) start.ArgumentList.Add($"--{key}={value}");
        // The silo must not export traces to whatever OTLP endpoint the test run has configured.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start the silo.");
        var silo = new SiloProcess(process, siloPort);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>The exit code once the process has ended within <paramref name="timeout"/>; null while it still runs.</summary>
    public int? WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) return null;
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>True when the silo address text ("S127.0.0.1:PORT:GENERATION") names this process's silo.</summary>
    public bool Hosts(string? siloAddress) => siloAddress is not null && siloAddress.Contains($":{SiloPort}:", StringComparison.Ordinal);

    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    /// <summary>
    /// Stops the process without ending it (SIGSTOP), the way a silo on a node that dropped off the network looks
    /// to the others: its ports still accept connections (the kernel completes the handshakes) and nothing answers.
    /// </summary>
    public void Freeze()
    {
        using var stop = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-STOP", $"{process.Id}" }, UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        stop.WaitForExit(10_000);
        if (stop.ExitCode != 0) throw new InvalidOperationException($"kill -STOP {process.Id} failed with exit code {stop.ExitCode}.");
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }
}
