namespace Graphport.Tests.Interop;

/// <summary>
/// nn.LSTM and nn.GRU exported by the installed torch (tests/fixtures/pt2/export_torch_rnn.py): one and two layers,
/// bidirectional, without biases, with initial states as inputs, with projections, batch first, a dynamic batch.
/// Their graphs hold aten.lstm.input / aten.gru.input; each archive must load and give torch's outputs, and so must
/// the program decomposed to Core ATen (the sequence length torch records is static, so it unrolls).
/// </summary>
public class TorchRecurrentArchivesTests
{
    [Fact]
    public void Torch_made_lstm_and_gru_archives_load_run_and_decompose_with_torchs_outputs()
    {
        string python = TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-torch-rnn-").FullName;
        try
        {
            string script = Path.Combine(TorchPython.RepositoryRoot(), "tests", "fixtures", "pt2", "export_torch_rnn.py");
            var (exit, output) = TorchPython.Run(python, TimeSpan.FromMinutes(4), script, folder);
            Assert.True(exit == 0, $"export_torch_rnn.py failed ({exit}):\n{output}");

            var archives = Directory.GetFiles(folder, "*.pt2").Order(StringComparer.Ordinal).ToList();
            Assert.True(archives.Count >= 6, $"torch wrote only {archives.Count} archives:\n{output}");
            var failures = new List<string>();
            foreach (var archive in archives)
            {
                try
                {
                    var program = ExportedProgram.Load(archive);
                    Assert.Contains(program.Graph.Nodes, n => n.Op?.Name is "aten::lstm.input" or "aten::gru.input");
                    Pt2Fixture.Run(program, archive);
                    var core = program.RunDecompositions();
                    Assert.DoesNotContain(core.Graph.Nodes, n => n.Op is { IsCore: false });
                    Pt2Fixture.Run(core, archive);
                }
                catch (Exception e)
                {
                    failures.Add($"{Path.GetFileName(archive)}: {e.GetType().Name}: {e.Message}");
                }
            }
            Assert.True(failures.Count == 0, $"{failures.Count} of {archives.Count} torch-made recurrent archives fail here:\n" + string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
