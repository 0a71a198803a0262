using System.Diagnostics;

namespace Graphport.Tests.Interop;

/// <summary>
/// The Python with PyTorch 2.x that the agreement and interop tests call: GRAPHPORT_TORCH_PYTHON when set, else
/// tools/torch/python (Debian's python3-torch 2.x in a root of its own; tools/torch/install.sh builds it and .ci/run
/// runs that). A missing torch fails the test with the command that installs it, never skips it.
/// </summary>
internal static class TorchPython
{
    private static readonly Lazy<(string? Path, string Why)> Found = new(Find);

    /// <summary>The Python to run, or an exception that says how to get one.</summary>
    public static string Require()
    {
        var (path, why) = Found.Value;
        return path ?? throw new Xunit.Sdk.XunitException(why);
    }

    /// <summary>The folder holding Cluster.sln above the test assembly.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Cluster.sln) above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs the Python with the arguments; stdout and stderr together, and -1 on a timeout.</summary>
    public static (int Exit, string Output) Run(string python, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static (string?, string) Find()
    {
        string install = "tools/torch/install.sh (as root; .ci/run runs it)";
        string? configured = Environment.GetEnvironmentVariable("GRAPHPORT_TORCH_PYTHON");
        string python = string.IsNullOrEmpty(configured) ? Path.Combine(RepositoryRoot(), "tools", "torch", "python") : configured;
        try
        {
            var (exit, output) = Run(python, TimeSpan.FromMinutes(1), "-c", "import torch, torch.export; print(torch.__version__)");
            return exit == 0
                ? (python, "")
                : (null, $"{python} cannot import torch.export (exit {exit}): {output.Trim()}\nInstall PyTorch 2.x with {install}, or point GRAPHPORT_TORCH_PYTHON at a Python with torch >= 2.1.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"{python} cannot be started ({e.Message}). Install PyTorch 2.x with {install}, or point GRAPHPORT_TORCH_PYTHON at a Python with torch >= 2.1.");
        }
    }
}
