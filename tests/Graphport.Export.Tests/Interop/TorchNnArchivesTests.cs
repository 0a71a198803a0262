namespace Graphport.Tests.Interop;

/// <summary>
/// Common torch.nn modules and functions exported by the installed torch, fresh on every run:
/// tests/fixtures/pt2/export_torch_nn.py exports transformer and attention layers, LSTM/GRU, normalizations,
/// convolutions, pixel (un)shuffle, upsampling (bilinear, nearest, bicubic), pooling (adaptive max 1-D/2-D included),
/// EmbeddingBag in its modes, roll, paddings and vector norms, saves each with torch.export.save and records
/// ep.module()'s outputs; every archive must load here and give the same outputs.
/// </summary>
public class TorchNnArchivesTests
{
    [Fact]
    public void Torch_nn_modules_exported_by_torch_load_and_run_here_with_torchs_outputs()
    {
        string python = TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-torch-nn-").FullName;
        try
        {
            string script = Path.Combine(TorchPython.RepositoryRoot(), "tests", "fixtures", "pt2", "export_torch_nn.py");
            var (exit, output) = TorchPython.Run(python, TimeSpan.FromMinutes(4), script, "--out", folder);
            Assert.True(exit == 0, $"export_torch_nn.py failed ({exit}):\n{output}");

            var archives = Directory.GetFiles(folder, "*.pt2").Order(StringComparer.Ordinal).ToList();
            Assert.True(archives.Count >= 27, $"torch wrote only {archives.Count} archives:\n{output}");
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
            Assert.True(failures.Count == 0, $"{failures.Count} of {archives.Count} torch.nn archives fail here:\n" + string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
