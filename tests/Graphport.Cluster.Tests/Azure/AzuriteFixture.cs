using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Graphport.Cluster.Tests.Azure;

/// <summary>
/// Azurite (npm azurite@3.37.0) on loopback for the Azure storage tests: installed by npm into a cache folder on
/// first use (GRAPHPORT_TEST_CACHE or ~/.cache/graphport-tests), started on free ports with its data in a temp
/// folder, killed at the end (tests stop their silos before that). When npm or Node is missing or Azurite does
/// not come up in time, <see cref="ConnectionString"/> fails the test with the reason instead of hanging.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Version = "3.37.0";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory data = new("graphport-azurite");
    private Process? process;
    private string? connectionString;
    private string? problem;
    private readonly StringWriter log = new();

    /// <summary>The explicit devstoreaccount1 connection string for this Azurite; fails the calling test when Azurite is not running.</summary>
    public string ConnectionString => connectionString ?? throw new Xunit.Sdk.XunitException($"Azurite is not available, so the Azure storage tests cannot run: {problem}");

    public async Task InitializeAsync()
    {
        try
        {
            string script = await InstallAsync();
            int blob = FreePort(), queue = FreePort(), table = FreePort();
            var start = new ProcessStartInfo("node")
            {
                ArgumentList =
                {
                    script, "--silent", "--location", data.Path,
                    "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
                    "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                    "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
                    // The Azure SDKs may speak a newer API version than Azurite knows; telemetry would hang its exit offline.
                    "--skipApiVersionCheck", "--disableTelemetry",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
            process.OutputDataReceived += (_, e) => { lock (log) log.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (log) log.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await WaitForPortsAsync(blob, table);
            connectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
        }
        catch (Exception e)
        {
            problem = e.Message;
            Stop();
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        data.Dispose();
        return Task.CompletedTask;
    }

    private void Stop()
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
        process = null;
    }

    private static async Task<string> InstallAsync()
    {
        string cache = Environment.GetEnvironmentVariable("GRAPHPORT_TEST_CACHE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "graphport-tests");
        string folder = Path.Combine(cache, $"azurite-{Version}");
        string ScriptIn(string root) => Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (File.Exists(ScriptIn(folder))) return ScriptIn(folder);
        // npm writes files one by one, so a second fixture (or test process) could find azurite.js while the rest is
        // still being extracted: install into a private folder and move it into place whole.
        Directory.CreateDirectory(cache);
        string staging = Path.Combine(cache, $"azurite-{Version}.installing-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var (code, output) = await RunAsync("npm", staging, InstallTimeout, "install", $"azurite@{Version}", "--no-audit", "--no-fund", "--loglevel=error");
            if (code != 0 || !File.Exists(ScriptIn(staging)))
                throw new InvalidOperationException($"npm install azurite@{Version} in {staging} failed (exit {code}): {output.Trim()}");
            // A folder without the script is a partial install from before installs were staged: replace it.
            if (Directory.Exists(folder) && !File.Exists(ScriptIn(folder))) Directory.Delete(folder, recursive: true);
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (File.Exists(ScriptIn(folder)))
            {
                // Another installer finished first; its copy is complete, since it was moved into place whole.
            }
            return ScriptIn(folder);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string directory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process child;
        try
        {
            child = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{file}' cannot be run ({e.Message}); install Node.js and npm to run the Azure storage tests.");
        }
        using (child)
        {
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await child.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                child.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"'{file} {string.Join(' ', args)}' did not finish within {timeout.TotalSeconds:F0} s.");
            }
            return (child.ExitCode, await stdout + await stderr);
        }
    }

    private async Task WaitForPortsAsync(params int[] ports)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        foreach (int port in ports)
        {
            while (true)
            {
                if (process!.HasExited) throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}: {Log()}");
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
                catch (SocketException)
                {
                    throw new InvalidOperationException($"Azurite did not listen on port {port} within {StartTimeout.TotalSeconds:F0} s: {Log()}");
                }
            }
        }
    }

    private string Log()
    {
        lock (log) return log.ToString().Trim();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
