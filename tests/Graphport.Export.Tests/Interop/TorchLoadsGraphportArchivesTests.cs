using System.Text.Json;
using Graphport.OpReference;

namespace Graphport.Tests.Interop;

/// <summary>
/// PyTorch's side of .pt2 interop: every program Graphport saves must be read by torch.export.load, run by
/// ep.module() with the outputs Graphport computed, saved again by torch.export.save and loaded back, and decomposed
/// by run_decompositions() with the same results. bench/torch/load_ours.py does the torch side, on the 23 programs
/// bench/Graphport.OpReference writes (order statistics, special functions and torch.linalg factorizations; tutorial modules with static, dynamic, shared and derived dims, Dim.Auto,
/// Core ATen programs, buffers of every dtype, aliased and non-persistent buffers, pytree inputs and outputs, a classifier's loss,
/// complex numbers: stft, rfft with a complex number argument, a complex64 rotary buffer) and on
/// the committed tests/fixtures/pt2/graphport archives (cond, buffer mutation, ...).
/// </summary>
public class TorchLoadsGraphportArchivesTests
{
    [Fact]
    public void Torch_loads_runs_resaves_and_decomposes_every_program_Graphport_writes()
    {
        string python = TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-torch-load-").FullName;
        try
        {
            string ours = Path.Combine(folder, "ours");
            var (written, failed) = ProgramWriter.Write(ours);
            Assert.True(failed.Count == 0, "programs not written: " + string.Join("; ", failed));
            Assert.True(written >= 32, $"only {written} programs were written");

            var problems = LoadWithTorch(python, ours, Path.Combine(folder, "ours.json"), out int checkedOurs);
            Assert.Equal(written, checkedOurs);
            string committed = Path.Combine(TorchPython.RepositoryRoot(), "tests", "fixtures", "pt2", "graphport");
            problems.AddRange(LoadWithTorch(python, committed, Path.Combine(folder, "committed.json"), out int checkedCommitted));
            Assert.True(checkedCommitted >= 5, $"only {checkedCommitted} committed Graphport-made archives were checked");

            Assert.True(problems.Count == 0, $"{problems.Count} archive(s) failed in torch:\n" + string.Join("\n", problems));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs load_ours.py on a folder; returns "name: step: error" for every step that did not pass.</summary>
    private static List<string> LoadWithTorch(string python, string archives, string results, out int archiveCount)
    {
        string script = Path.Combine(TorchPython.RepositoryRoot(), "bench", "torch", "load_ours.py");
        var (exit, output) = TorchPython.Run(python, TimeSpan.FromMinutes(4), script, archives, results);
        Assert.True(exit == 0 && File.Exists(results), $"load_ours.py failed on {archives} ({exit}):\n{output}");

        using var json = JsonDocument.Parse(File.ReadAllText(results));
        var problems = new List<string>();
        archiveCount = 0;
        foreach (var archive in json.RootElement.GetProperty("archives").EnumerateObject())
        {
            archiveCount++;
            var steps = archive.Value.GetProperty("steps");
            // Every archive has cases, so each of the four steps must have run, not only the ones that did.
            foreach (string step in new[] { "load", "run", "torch_resave", "run_decompositions" })
            {
                if (!steps.TryGetProperty(step, out var record))
                    problems.Add($"{archive.Name}: {step} did not run");
                else if (record.GetProperty("status").GetString() != "ok")
                    problems.Add($"{archive.Name}: {step}: {(record.TryGetProperty("error", out var e) ? e.GetString() : record.ToString())}");
            }
        }
        return problems;
    }
}
