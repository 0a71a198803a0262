using Graphport.Operators;
using Graphport.Tests.OpOracle;

namespace Graphport.Tests.CoreOps;

/// <summary>
/// aten::lstm.input and aten::gru.input: the CPU kernels against torch's values (embedded, made by
/// tests/fixtures/pt2/export_torch_rnn.py --kernel-table from the same deterministic inputs), the decomposition
/// against the kernels, symbolic batch and sequence length in the meta function, and RunDecompositions with a static
/// and with a symbolic sequence length.
/// </summary>
public class RecurrentOpTests
{
    private sealed record Config(string Name, bool Lstm, int Input, int Hidden, int Proj, int Layers, bool Bidir, bool Bias, bool BatchFirst, int Seq, int Batch)
    {
        public int Dirs => Bidir ? 2 : 1;

        public int Out => Proj > 0 ? Proj : Hidden;

        public string Op => Lstm ? "aten::lstm.input" : "aten::gru.input";

        public override string ToString() => Name;
    }

    private static readonly Config[] Configs =
    [
        new("lstm_1layer", true, 3, 4, 0, 1, false, true, false, 3, 2),
        new("lstm_2layer_bidir_batch_first", true, 3, 4, 0, 2, true, true, true, 3, 2),
        new("lstm_nobias_proj", true, 3, 4, 2, 1, false, false, false, 4, 2),
        new("gru_1layer", false, 3, 4, 0, 1, false, true, false, 3, 2),
        new("gru_2layer_bidir_nobias_batch_first", false, 3, 4, 0, 2, true, false, true, 3, 2),
    ];

    public static TheoryData<string> ConfigNames() => new(Configs.Select(c => c.Name));

    private static Config Named(string name) => Configs.Single(c => c.Name == name);

    /// <summary>The formula the Python generator uses: 0.6 sin(0.37 i + 1.3 salt) for element i.</summary>
    private static Tensor Made(long[] shape, int salt, DType dtype)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var values = Enumerable.Range(0, (int)n).Select(i => 0.6 * Math.Sin(0.37 * i + 1.3 * salt)).ToArray();
        var t = Tensor.FromArray(values, shape);
        return dtype == DType.Float64 ? t : t.To(dtype);
    }

    /// <summary>The op's arguments: input, hidden state(s), params per layer and direction (w_ih, w_hh, b_ih, b_hh, w_hr), flags.</summary>
    private static object?[] Args(Config c, DType dtype, int? batch = null, int? seq = null)
    {
        int b = batch ?? c.Batch, s = seq ?? c.Seq, gates = c.Lstm ? 4 : 3;
        var ps = new List<Tensor>();
        for (int layer = 0; layer < c.Layers; layer++)
            for (int d = 0; d < c.Dirs; d++)
            {
                long inSize = layer == 0 ? c.Input : c.Dirs * c.Out;
                var group = new List<long[]> { new long[] { gates * c.Hidden, inSize }, new long[] { gates * c.Hidden, c.Out } };
                if (c.Bias) group.AddRange([[gates * c.Hidden], [gates * c.Hidden]]);
                if (c.Proj > 0) group.Add([c.Out, c.Hidden]);
                int first = ps.Count;
                ps.AddRange(group.Select((shape, k) => Made(shape, first + k, dtype)));
            }
        var x = Made(c.BatchFirst ? [b, s, c.Input] : [s, b, c.Input], 100, dtype);
        var h0 = Made([c.Layers * c.Dirs, b, c.Out], 200, dtype);
        object hx = c.Lstm ? new[] { h0, Made([c.Layers * c.Dirs, b, c.Hidden], 300, dtype) } : h0;
        return [x, hx, ps.ToArray(), c.Bias, (long)c.Layers, 0.0, false, c.Bidir, c.BatchFirst];
    }

    private static long[][] Shapes(Config c)
    {
        long[] output = c.BatchFirst ? [c.Batch, c.Seq, c.Dirs * c.Out] : [c.Seq, c.Batch, c.Dirs * c.Out];
        long[] h = [c.Layers * c.Dirs, c.Batch, c.Out];
        return c.Lstm ? [output, h, [c.Layers * c.Dirs, c.Batch, c.Hidden]] : [output, h];
    }

    private static Tensor[] Run(Config c, object?[] args) => (Tensor[])Torch.Ops[c.Op].Call(args)!;

    [Theory]
    [MemberData(nameof(ConfigNames))]
    public void The_kernel_gives_torchs_values_in_float64_and_float32(string name)
    {
        var c = Named(name);
        var shapes = Shapes(c);
        foreach (var (dtype, tol) in new[] { (DType.Float64, 1e-8), (DType.Float32, 2e-5) })
        {
            var results = Run(c, Args(c, dtype));
            Assert.Equal(shapes.Length, results.Length);
            for (int k = 0; k < results.Length; k++)
                CoreOpCalls.AssertValues(Expected[$"{name}/{k}"], shapes[k], results[k], dtype, tol, tol);
        }
    }

    [Theory]
    [MemberData(nameof(ConfigNames))]
    public void The_decomposition_agrees_with_the_kernel(string name)
    {
        var c = Named(name);
        var op = Torch.Ops[c.Op];
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
        {
            var expected = Run(c, Args(c, dtype));
            var decomposed = Decompositions.Default()[op](op.BindArgs(Args(c, dtype)));
            Agree.Results(expected, decomposed, Agreement.Values, $"{name} {dtype.TorchName()}");
        }
    }

    /// <summary>The module that calls the op on its tensors (input, states, params).</summary>
    private static (SingleOpModule Module, Tensor[] Inputs) Program(Config c, object?[] args) =>
        (new SingleOpModule(Torch.Ops[c.Op], args), SingleOpModule.TensorsOf(args));

    /// <summary>Dynamic specs: the input's batch and (optionally) sequence dims, and the states' batch dim.</summary>
    private static DynamicShapes Dynamic(Config c, int tensorCount, bool dynamicSeq)
    {
        var batch = new Dim("batch", 1, 64);
        var seq = new Dim("seq", 1, 64);
        var inputSpec = new ShapeSpec { [c.BatchFirst ? 0 : 1] = batch };
        if (dynamicSeq) inputSpec[c.BatchFirst ? 1 : 0] = seq;
        var specs = new ShapeSpec?[tensorCount];
        specs[0] = inputSpec;
        specs[1] = new ShapeSpec { [1] = batch };
        if (c.Lstm) specs[2] = new ShapeSpec { [1] = batch };
        return DynamicShapes.Positional(ShapeSpec.List(specs));
    }

    [Theory]
    [MemberData(nameof(ConfigNames))]
    public void Batch_and_sequence_length_stay_symbolic_and_the_program_runs_at_other_sizes(string name)
    {
        var c = Named(name);
        var (module, inputs) = Program(c, Args(c, DType.Float32));
        var ep = Torch.Export(module, [inputs], dynamicShapes: Dynamic(c, inputs.Length, dynamicSeq: true), strict: false);
        Assert.Single(ep.Graph.Nodes, n => n.Op?.Name == c.Op);
        string text = ep.ToString();
        Assert.Contains(c.Lstm ? "aten.lstm.input" : "aten.gru.input", text);
        Assert.Equal(2, ep.RangeConstraints.Count);

        foreach (var (batch, seq) in new[] { (5, 2), (1, 6) })
        {
            var args = Args(c, DType.Float32, batch, seq);
            var expected = Run(c, args);
            var actual = ep.Module().Invoke([SingleOpModule.TensorsOf(args)]);
            Agree.Results(expected, actual, Agreement.Values, $"{name} batch {batch} seq {seq}");
            Assert.Equal(c.BatchFirst ? new long[] { batch, seq, c.Dirs * c.Out } : [seq, batch, c.Dirs * c.Out], expected[0].Shape.ToLongs());
        }
    }

    [Theory]
    [MemberData(nameof(ConfigNames))]
    public void A_static_sequence_decomposes_to_core_aten_with_a_dynamic_batch(string name)
    {
        var c = Named(name);
        var (module, inputs) = Program(c, Args(c, DType.Float32));
        var ep = Torch.Export(module, [inputs], dynamicShapes: Dynamic(c, inputs.Length, dynamicSeq: false), strict: false);
        var core = ep.RunDecompositions();
        Assert.All(core.Graph.Nodes.Where(n => n.Op is not null), n => Assert.True(n.Op!.IsCore, $"{name}: {n.Op!.Name} is not core"));
        Assert.Contains(core.Graph.Nodes, n => n.Op?.Name is "aten::addmm" or "aten::mm");
        foreach (int batch in new[] { 5, 1 })
        {
            var args = Args(c, DType.Float32, batch);
            Agree.Results(Run(c, args), core.Module().Invoke([SingleOpModule.TensorsOf(args)]), Agreement.Values, $"{name} batch {batch} (Core ATen)");
        }
    }

    [Fact]
    public void A_symbolic_sequence_length_cannot_be_unrolled_and_the_error_says_how_to_keep_the_op()
    {
        var c = Named("lstm_1layer");
        var (module, inputs) = Program(c, Args(c, DType.Float32));
        var ep = Torch.Export(module, [inputs], dynamicShapes: Dynamic(c, inputs.Length, dynamicSeq: true), strict: false);
        var e = Assert.Throws<ExportException>(() => ep.RunDecompositions());
        Assert.Contains("aten::lstm.input", e.Message);
        Assert.Contains("symbolic", e.Message);
        Assert.Contains("table.Remove(\"aten::lstm.input\")", e.Message);

        // Kept as the error suggests: the op survives, the rest decomposes, and it runs at another length.
        var table = Decompositions.Default();
        Assert.True(table.Remove("aten::lstm.input"));
        var kept = ep.RunDecompositions(table);
        Assert.Single(kept.Graph.Nodes, n => n.Op?.Name == "aten::lstm.input");
        var args = Args(c, DType.Float32, 3, 7);
        Agree.Results(Run(c, args), kept.Module().Invoke([SingleOpModule.TensorsOf(args)]), Agreement.Values, "kept lstm, seq 7");
    }

    [Fact]
    public void Mismatched_weights_and_states_are_rejected_with_the_sizes()
    {
        var c = Named("gru_1layer");
        var args = Args(c, DType.Float32);
        var ps = (Tensor[])args[2]!;
        args[2] = ps.Take(3).ToArray();
        Assert.Contains("parameter tensors", Assert.Throws<ArgumentException>(() => Run(c, args)).Message);
        args = Args(c, DType.Float32);
        args[1] = Made([1, 3, 4], 200, DType.Float32);
        Assert.Contains("hidden size", Assert.Throws<ArgumentException>(() => Run(c, args)).Message);
    }

    private static readonly Dictionary<string, double[]> Expected = new()
    {
        // Generated by tests/fixtures/pt2/export_torch_rnn.py --kernel-table (torch 2.14.1+debian, float64).
        ["lstm_1layer/0"] = [0.04608676933, 0.2262905367, 0.1890643771, 0.1938661999, -0.0421947876, 0.06564035052, 0.4768352953, 0.2625143714, 0.1768179489, 0.04708104735, 0.01510887625, 0.1094529401, 0.2739148592, -0.1571843881, 0.02019477904, 0.1032881968, 0.1294060234, 0.09283589204, 0.04503085711, 0.1393353778, 0.07268644996, 0.07332718489, 0.1447242289, 0.2173272996],
        ["lstm_1layer/1"] = [0.1294060234, 0.09283589204, 0.04503085711, 0.1393353778, 0.07268644996, 0.07332718489, 0.1447242289, 0.2173272996],
        ["lstm_1layer/2"] = [0.1678040061, 0.1171347073, 0.06628262414, 0.2656656995, 0.1266333977, 0.1179709247, 0.2019228793, 0.2932642538],
        ["lstm_2layer_bidir_batch_first/0"] = [-0.1079588949, -0.1455863793, 0.1394453179, -0.1672100004, 0.2500995485, -0.09314381225, -0.1766613712, -0.2546840723, -0.2257021009, -0.236799403, -0.1834194125, -0.3046289716, 0.2206192064, -0.06875889409, -0.1674666267, -0.2495715551, -0.1309584896, -0.1919365705, -0.2709583681, -0.3297311198, 0.2371914068, -0.03781043911, -0.1202337357, -0.1337074937, 0.4499890189, -0.08441930054, -0.1296458583, -0.2375415514, 0.1346797505, -0.1589308336, -0.1392047612, -0.2337334212, 0.113516484, -0.1852349563, -0.2852513435, -0.3494137264, -0.004328027109, -0.1847232218, -0.1013395397, -0.2148823754, -0.0008319254011, -0.2239081868, -0.2986469756, -0.3794875441, -0.08351956065, -0.1070831983, -0.05513530407, -0.2310497799],
        ["lstm_2layer_bidir_batch_first/1"] = [0.1483033719, 0.02499365398, 0.007707773541, 0.1150719697, 0.02981370032, 0.07970107307, 0.1584086394, 0.2365317001, -0.498348868, -0.2175048663, -0.01951695444, 0.298333587, -0.07394207399, -0.3487192832, -0.5126084516, -0.2349544562, -0.1309584896, -0.1919365705, -0.2709583681, -0.3297311198, -0.0008319254011, -0.2239081868, -0.2986469756, -0.3794875441, 0.2500995485, -0.09314381225, -0.1766613712, -0.2546840723, 0.1346797505, -0.1589308336, -0.1392047612, -0.2337334212],
        ["lstm_2layer_bidir_batch_first/2"] = [0.176101763, 0.0301208081, 0.01278501749, 0.2769267209, 0.04934879382, 0.1292254247, 0.2294332154, 0.321172034, -1.07475964, -0.6522372906, -0.0441075714, 0.3979861779, -0.1159214238, -0.511072002, -0.7888691369, -0.3221705061, -0.216784875, -0.8717781921, -0.6298381793, -0.8520706702, -0.001699661111, -0.9054546393, -0.793685875, -0.8249039449, 0.9328682139, -0.3384420063, -0.870155067, -0.972514905, 0.4256613255, -0.51009396, -0.6918027182, -0.8153488675],
        ["lstm_nobias_proj/0"] = [-0.02983452364, -0.2753417649, 0.01097987898, -0.2444559966, -0.02067760369, 0.003871179929, 0.004402343107, 0.1674801007, 0.006532741722, 0.06412643844, 0.00716579748, -0.04933127263, -0.01488155121, -0.08723153906, -0.01628153179, -0.04187042042],
        ["lstm_nobias_proj/1"] = [-0.01488155121, -0.08723153906, -0.01628153179, -0.04187042042],
        ["lstm_nobias_proj/2"] = [-0.01401602892, 0.09959545102, 0.2070259365, 0.01716283809, -0.02452681933, 0.00802918995, 0.1253842008, 0.03474556234],
        ["gru_1layer/0"] = [0.07751055844, 0.4623843199, 0.6216799618, 0.2176781359, -0.582549794, -0.1117252018, 0.05381056115, 0.1658300421, 0.2797583904, -0.09603850762, -0.17575641, 0.2740761211, -0.1582186625, -0.6074505773, -0.1996668036, 0.2430379727, 0.03838190292, -0.1128721713, -0.1261988516, 0.272877192, -0.3362717814, 0.1258482412, 0.4524926245, 0.4372707844],
        ["gru_1layer/1"] = [0.03838190292, -0.1128721713, -0.1261988516, 0.272877192, -0.3362717814, 0.1258482412, 0.4524926245, 0.4372707844],
        ["gru_2layer_bidir_nobias_batch_first/0"] = [-0.1928372917, 0.4647382558, -0.04225544983, -0.115422527, -0.2248056227, 0.03865255645, -0.04087087879, 0.2394426615, -0.3137254862, 0.4260081007, -0.1387822312, -0.04218756598, -0.3368146937, -0.0329760738, -0.02163308743, 0.08362330062, -0.06164541343, 0.08080303206, 0.03152356391, -0.1479849183, -0.5150506379, -0.187091252, -0.1327673763, -0.007254644447, 0.07271333383, -0.7361658725, -0.3525311192, -0.3194537006, -0.3853942948, -0.1329541577, 0.07303588205, 0.1394554538, 0.2532052866, -0.6470883514, -0.1679363131, -0.1323927234, -0.1144738456, -0.2327289311, 0.1322019944, 0.2768969533, 0.07081416282, -0.217915845, -0.1958672054, 0.1172773791, 0.249269522, -0.3270315902, 0.3617476657, 0.3808226543],
        ["gru_2layer_bidir_nobias_batch_first/1"] = [0.2673759656, 0.08422972807, -0.09221237652, -0.1322823531, -0.1799791675, -0.06408705017, 0.1896245248, 0.04803840047, 0.4135838039, -0.2303924997, -0.3792005188, -0.230986462, -0.3007374161, -0.08918772422, 0.5654846525, 0.4970095895, -0.06164541343, 0.08080303206, 0.03152356391, -0.1479849183, 0.07081416282, -0.217915845, -0.1958672054, 0.1172773791, -0.2248056227, 0.03865255645, -0.04087087879, 0.2394426615, -0.3853942948, -0.1329541577, 0.07303588205, 0.1394554538],
    };
}
