using System.Text.Json;
using Xunit.Abstractions;

namespace Graphport.Tests.Interop;

/// <summary>
/// torch's own ExportDB (torch._export.db.examples, 36 cases: cond in its forms, dynamic shapes, unbacked sizes
/// from item(), a scalar output, user-input mutation, map, lists/tuples/dicts of inputs, keyword arguments, a custom
/// autograd function, ...): export_torch_exportdb.py exports every example torch can export with torch.export.export,
/// saves it with torch.export.save and records what the reloaded ep.module() returns on the example inputs (and on
/// other sizes where the example has dynamic shapes). Each archive must load here with ExportedProgram.Load and give
/// torch's outputs, pass Verify(), and decompose with RunDecompositions() to a Core ATen program that gives the same
/// outputs.
/// </summary>
public class TorchExportDbArchivesTests(ITestOutputHelper output)
{
    /// <summary>Examples torch saves that Graphport cannot load or run, with why. Keep this minimal.</summary>
    private static readonly Dictionary<string, string> Accepted = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void Every_archive_torch_saves_from_its_ExportDB_loads_runs_verifies_and_decomposes_here_with_torchs_outputs()
    {
        string python = TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-torch-exportdb-").FullName;
        try
        {
            string script = Path.Combine(TorchPython.RepositoryRoot(), "tests", "fixtures", "pt2", "export_torch_exportdb.py");
            var (exit, printed) = TorchPython.Run(python, TimeSpan.FromMinutes(4), script, "--out", folder);
            string indexPath = Path.Combine(folder, "index.json");
            Assert.True(exit == 0 && File.Exists(indexPath), $"export_torch_exportdb.py failed ({exit}):\n{printed}");

            using var index = JsonDocument.Parse(File.ReadAllText(indexPath));
            var examples = index.RootElement.GetProperty("examples").EnumerateObject().ToList();
            Assert.True(examples.Count >= 30, $"torch's ExportDB lists only {examples.Count} examples:\n{printed}");
            var saved = examples.Where(e => e.Value.GetProperty("status").GetString() == "saved").Select(e => e.Name).ToList();
            Assert.True(saved.Count >= 30, $"torch saved only {saved.Count} of {examples.Count} examples:\n{printed}");

            var failures = new List<string>();
            var passed = new List<string>();
            foreach (var name in saved)
            {
                string archive = Path.Combine(folder, name + ".pt2");
                try
                {
                    int cases = Pt2Fixture.Check(archive);
                    // A fresh load: the run above may have written the first program's buffers.
                    var program = ExportedProgram.Load(archive);
                    program.Verify();
                    var core = program.RunDecompositions();
                    Pt2Fixture.Run(core, archive);
                    passed.Add(name);
                    output.WriteLine($"{name}: loaded, verified and decomposed; {cases} case(s) match torch before and after decomposing");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    output.WriteLine($"{name}: {e.GetType().Name}: {e.Message}");
                    if (!Accepted.ContainsKey(name)) failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
                }
            }
            foreach (var e in examples.Where(e => e.Value.GetProperty("status").GetString() != "saved"))
                output.WriteLine($"{e.Name}: not saved by torch ({e.Value.GetProperty("status").GetString()}): {e.Value.GetProperty("error").GetString()}");
            var stale = Accepted.Keys.Where(passed.Contains).ToList();
            Assert.True(stale.Count == 0, "accepted as failing but now pass (remove them from Accepted): " + string.Join(", ", stale));
            Assert.True(failures.Count == 0, $"{failures.Count} of {saved.Count} archives torch saved from its ExportDB fail here:\n" + string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
