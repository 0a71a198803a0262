namespace Graphport.Tests.Interop;

/// <summary>
/// PyTorch's archives, made fresh by the installed torch on every run (the committed ones in tests/fixtures/pt2/torch
/// pin one torch version; this follows the one tools/torch installs): make_fixtures.py exports ten modules with
/// torch.export.export - Linear+ReLU, the tutorial's module, a conv net with BatchNorm buffers and a dynamic batch, a
/// buffer mutated in place, derived dims, attention over a dynamic sequence, torch.cond, nested outputs with integer
/// and bool leaves, constants and a symbolic size among the results - saves them with torch.export.save, and records
/// ep.module()'s outputs; each must load here and give the same outputs.
/// </summary>
public class TorchMadeArchivesTests
{
    [Fact]
    public void Archives_torch_export_saves_load_and_run_here_with_torchs_outputs()
    {
        string python = TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-torch-made-").FullName;
        try
        {
            string script = Path.Combine(TorchPython.RepositoryRoot(), "tests", "fixtures", "pt2", "make_fixtures.py");
            var (exit, output) = TorchPython.Run(python, TimeSpan.FromMinutes(4), script, "--torch-dir", folder, "--skip-graphport-check");
            Assert.True(exit == 0, $"make_fixtures.py failed ({exit}):\n{output}");

            var archives = Directory.GetFiles(folder, "*.pt2").Order(StringComparer.Ordinal).ToList();
            Assert.True(archives.Count >= 10, $"torch wrote only {archives.Count} archives:\n{output}");
            var failures = new List<string>();
            foreach (var archive in archives)
            {
                try
                {
                    Pt2Fixture.Check(archive);
                }
                catch (Exception e)
                {
                    failures.Add($"{Path.GetFileName(archive)}: {e.GetType().Name}: {e.Message}");
                }
            }
            Assert.True(failures.Count == 0, $"{failures.Count} of {archives.Count} torch-made archives fail here:\n" + string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
