using Graphport.Tests.OpOracle;
using Graphport.Tests.Serialization;

namespace Graphport.Tests.Nn;

/// <summary>
/// The LSTM and GRU layers: torch's parameter names and shapes (so state dicts match), eager results equal to the
/// op's, export with a dynamic batch recording aten.lstm.input / aten.gru.input, and the exported program run at
/// another batch, saved and loaded, and decomposed to Core ATen.
/// </summary>
public class RecurrentLayerTests
{
    [Fact]
    public void Parameters_are_named_and_shaped_as_torchs()
    {
        var lstm = new LSTM(8, 16, numLayers: 2, bidirectional: true);
        var names = lstm.NamedParameters().Select(p => $"{p.Name} [{string.Join(", ", p.Value.Shape.ToLongs())}]").ToList();
        Assert.Equal(
        [
            "weight_ih_l0 [64, 8]", "weight_hh_l0 [64, 16]", "bias_ih_l0 [64]", "bias_hh_l0 [64]",
            "weight_ih_l0_reverse [64, 8]", "weight_hh_l0_reverse [64, 16]", "bias_ih_l0_reverse [64]", "bias_hh_l0_reverse [64]",
            "weight_ih_l1 [64, 32]", "weight_hh_l1 [64, 16]", "bias_ih_l1 [64]", "bias_hh_l1 [64]",
            "weight_ih_l1_reverse [64, 32]", "weight_hh_l1_reverse [64, 16]", "bias_ih_l1_reverse [64]", "bias_hh_l1_reverse [64]",
        ], names);

        var projected = new LSTM(5, 6, hasBias: false, projSize: 3);
        Assert.Equal(["weight_ih_l0 [24, 5]", "weight_hh_l0 [24, 3]", "weight_hr_l0 [3, 6]"],
            projected.NamedParameters().Select(p => $"{p.Name} [{string.Join(", ", p.Value.Shape.ToLongs())}]"));

        var gru = new GRU(4, 5, hasBias: false);
        Assert.Equal(["weight_ih_l0 [15, 4]", "weight_hh_l0 [15, 5]"], gru.NamedParameters().Select(p => $"{p.Name} [{string.Join(", ", p.Value.Shape.ToLongs())}]"));
        Assert.Equal("LSTM(8, 16, num_layers=2, bidirectional=True)", lstm.ToString().Split('\n')[0]);
    }

    [Fact]
    public void A_net_of_lstm_and_gru_exports_with_a_dynamic_batch_and_runs_saved_and_decomposed()
    {
        Torch.ManualSeed(3);
        var net = new RecurrentNet();
        net.Eval();
        var x = Torch.Randn(4, 5, 6);
        var batch = new Dim("batch", 1, 32);
        var ep = Torch.Export(net, [x], dynamicShapes: DynamicShapes.Positional(new ShapeSpec { [0] = batch }));
        Assert.Contains(ep.Graph.Nodes, n => n.Op?.Name == "aten::lstm.input");
        Assert.Contains(ep.Graph.Nodes, n => n.Op?.Name == "aten::gru.input");
        Assert.Contains("p_lstm_weight_ih_l0_reverse", ep.ToString());

        var other = Torch.Randn(2, 5, 6);
        var expected = net.Call(other);
        Agree.Tensors(expected, ep.Module().Call(other), Agreement.Values, "exported");

        string path = Path.Combine(Path.GetTempPath(), $"graphport-rnn-{Guid.NewGuid():N}.pt2");
        try
        {
            ep.Save(path);
            Agree.Tensors(expected, ExportedProgram.Load(path).Module().Call(other), Agreement.Values, "saved and loaded");
        }
        finally
        {
            File.Delete(path);
        }

        var core = ep.RunDecompositions();
        Assert.DoesNotContain(core.Graph.Nodes, n => n.Op is { IsCore: false });
        Agree.Tensors(expected, core.Module().Call(other), Agreement.Values, "Core ATen");
    }

    [Fact]
    public void Unbatched_input_and_given_states_work_as_in_torch()
    {
        Torch.ManualSeed(5);
        var lstm = new LSTM(3, 4, batchFirst: true);
        var x = Torch.Randn(6, 3);
        var (y, (h, c)) = lstm.Forward(x);
        Assert.Equal([6L, 4], y.Shape.ToLongs());
        Assert.Equal([1L, 4], h.Shape.ToLongs());
        var (batched, (hb, cb)) = lstm.Forward(x.Unsqueeze(0));
        Agree.Tensors(batched.Squeeze(0), y, Agreement.Values, "unbatched output");
        Agree.Tensors(cb.Squeeze(1), c, Agreement.Values, "unbatched c_n");

        // Continuing from the final state equals running the whole sequence at once.
        var first = x.Unsqueeze(0)[.., ..3];
        var second = x.Unsqueeze(0)[.., 3..];
        var (_, state) = lstm.Forward(first);
        var (rest, _) = lstm.Forward(second, state);
        Agree.Tensors(batched[.., 3..].Contiguous(), rest, Agreement.Values, "continued");

        var gru = new GRU(3, 4);
        var (_, hg) = gru.Forward(x);
        Assert.Equal([1L, 4], hg.Shape.ToLongs());
        Assert.Throws<ArgumentException>(() => gru.Forward(Torch.Randn(2, 5)));
    }
}
