namespace Graphport.Tests.Interop;

/// <summary>
/// nn.LSTM, nn.GRU, nn.RNN (tanh and relu) and the three cells stepped by hand, exported by the installed torch
/// (tests/fixtures/pt2/export_torch_rnn.py): one and two layers, bidirectional, without biases, with initial states as
/// inputs, with projections, batch first, a dynamic batch. Their graphs hold aten.lstm.input / aten.gru.input /
/// aten.rnn_*.input / the cell ops; each archive must load and give torch's outputs, and so must
/// the program decomposed to Core ATen (the sequence length torch records is static, so it unrolls).
/// </summary>
public class TorchRecurrentArchivesTests
{
    [Fact]
    public void Torch_made_recurrent_archives_load_run_and_decompose_with_torchs_outputs()
    {
        TorchMadeArchives.WriteAndCheck("export_torch_rnn.py", ["{dir}"], atLeast: 9, archive =>
        {
            var program = ExportedProgram.Load(archive);
            Assert.Contains(program.Graph.Nodes, n => n.Op?.Name is "aten::lstm.input" or "aten::gru.input" or "aten::rnn_tanh.input" or "aten::rnn_relu.input"
                or "aten::lstm_cell" or "aten::gru_cell" or "aten::rnn_tanh_cell" or "aten::rnn_relu_cell");
            Pt2Fixture.Run(program, archive);
            var core = program.RunDecompositions();
            Assert.DoesNotContain(core.Graph.Nodes, n => n.Op is { IsCore: false });
            Pt2Fixture.Run(core, archive);
        });
    }
}
