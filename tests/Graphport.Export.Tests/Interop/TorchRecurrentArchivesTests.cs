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
        TorchMadeArchives.WriteAndCheck("export_torch_rnn.py", ["{dir}"], atLeast: 6, archive =>
        {
            var program = ExportedProgram.Load(archive);
            Assert.Contains(program.Graph.Nodes, n => n.Op?.Name is "aten::lstm.input" or "aten::gru.input");
            Pt2Fixture.Run(program, archive);
            var core = program.RunDecompositions();
            Assert.DoesNotContain(core.Graph.Nodes, n => n.Op is { IsCore: false });
            Pt2Fixture.Run(core, archive);
        });
    }
}
