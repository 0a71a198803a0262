using System.Diagnostics;

namespace Graphport.Bench;

/// <summary>
/// Runs bench/torch/export_time.py with a given Python right after Graphport's own timings, so both sides are measured
/// on the same machine in one run of the harness and the ratio compares like with like (the --torch file instead
/// brings timings made elsewhere, e.g. on the GPU machine). tools/torch/python is such a Python where PyPI is out of
/// reach (tools/torch/install.sh).
/// </summary>
public static class TorchExportPeer
{
    public static TorchResults Run(string python, IReadOnlyList<BenchCase> cases, int warmup, int runs, string jsonPath)
    {
        string script = Path.Combine(RepositoryRoot(), "bench", "torch", "export_time.py");
        var start = new ProcessStartInfo(python) { UseShellExecute = false };
        foreach (string argument in new[] { script, jsonPath, "--warmup", warmup.ToString(), "--runs", runs.ToString(), "--no-inference-ir" })
            start.ArgumentList.Add(argument);
        foreach (var benchCase in cases)
        {
            start.ArgumentList.Add("--model");
            start.ArgumentList.Add(benchCase.Name);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException($"could not start {python}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"--torch-python {python}: {e.Message}. Give a Python that imports torch >= 2.1 (tools/torch/install.sh installs one as tools/torch/python).", e);
        }
        using (process)
        {
            // Its progress lines go straight to this console (not redirected).
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(jsonPath))
                throw new IOException($"{python} {script} failed with exit code {process.ExitCode} (its output is above).");
        }
        return TorchResults.Load(jsonPath);
    }

    internal static string RepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "bench", "torch", "export_time.py"))) return dir.FullName;
            }
        }
        throw new IOException("Cannot find bench/torch/export_time.py above the current folder or the harness; run from the repository.");
    }
}
