using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// LSTM, GRU and RNN against ONNX Runtime on random weights and inputs: every direction, both layouts, initial states,
/// per-row sequence lengths, LSTM's peepholes, clip and coupled gates, GRU's linear_before_reset and listed activations
/// with their alphas and betas (those unrolled at import over the time steps), and the plain ones as aten.lstm.input and
/// aten.gru.input.
/// </summary>
public class RecurrentOpTests
{
    private const int Steps = 5, Batch = 3, InputSize = 4, Hidden = 6;

    /// <summary>Builds one recurrent node over X [Steps, Batch, InputSize] (or batch first) with random W, R and B.</summary>
    private sealed class Recurrent(string op, int directions, Random random, long opset = 14)
    {
        private int Gates => op switch { "LSTM" => 4, "GRU" => 3, _ => 1 };

        public bool BatchFirst { get; init; }

        public bool Bias { get; init; } = true;

        public bool InitialStates { get; init; }

        public bool SequenceLengths { get; init; }

        public bool Peepholes { get; init; }

        public OnnxAttr[] Attributes { get; init; } = [];

        public byte[] Build()
        {
            long[] x = BatchFirst ? [Batch, Steps, InputSize] : [Steps, Batch, InputSize];
            long[] state = BatchFirst ? [Batch, directions, Hidden] : [directions, Batch, Hidden];
            long[] y = BatchFirst ? [Batch, Steps, directions, Hidden] : [Steps, directions, Batch, Hidden];
            var builder = new OnnxModelBuilder(opset)
                .Input("x", ElemType.Float, x.Cast<object?>().ToArray())
                .Initializer("w", RandomData.Floats(random, directions * Gates * Hidden * InputSize), directions, Gates * Hidden, InputSize)
                .Initializer("r", RandomData.Floats(random, directions * Gates * Hidden * Hidden), directions, Gates * Hidden, Hidden);
            var inputs = new List<string> { "x", "w", "r", "" , "", "", "", "" };
            if (Bias)
            {
                builder.Initializer("b", RandomData.Floats(random, directions * 2 * Gates * Hidden), directions, 2 * Gates * Hidden);
                inputs[3] = "b";
            }
            if (SequenceLengths)
            {
                builder.Input("lens", ElemType.Int32, Batch);
                inputs[4] = "lens";
            }
            if (InitialStates)
            {
                builder.Input("h0", ElemType.Float, state.Cast<object?>().ToArray());
                inputs[5] = "h0";
                if (op == "LSTM")
                {
                    builder.Input("c0", ElemType.Float, state.Cast<object?>().ToArray());
                    inputs[6] = "c0";
                }
            }
            if (Peepholes)
            {
                builder.Initializer("p", RandomData.Floats(random, directions * 3 * Hidden), directions, 3 * Hidden);
                inputs[7] = "p";
            }
            while (inputs.Count > 3 && inputs[^1].Length == 0) inputs.RemoveAt(inputs.Count - 1);
            var outputs = op == "LSTM" ? new[] { "y", "y_h", "y_c" } : ["y", "y_h"];
            builder.Node(op, [.. inputs], outputs, [OnnxAttr.Int("hidden_size", Hidden), .. Attributes])
                .Output("y", ElemType.Float, y.Cast<object?>().ToArray())
                .Output("y_h", ElemType.Float, state.Cast<object?>().ToArray());
            if (op == "LSTM") builder.Output("y_c", ElemType.Float, state.Cast<object?>().ToArray());
            return builder.Build();
        }

        public ModelInput[] Inputs(params int[] lengths)
        {
            long[] x = BatchFirst ? [Batch, Steps, InputSize] : [Steps, Batch, InputSize];
            long[] state = BatchFirst ? [Batch, directions, Hidden] : [directions, Batch, Hidden];
            var inputs = new List<ModelInput> { ModelInput.Floats("x", random, x) };
            if (SequenceLengths) inputs.Add(new ModelInput("lens", lengths, [Batch]));
            if (InitialStates)
            {
                inputs.Add(ModelInput.Floats("h0", random, state));
                if (op == "LSTM") inputs.Add(ModelInput.Floats("c0", random, state));
            }
            return [.. inputs];
        }
    }

    [Fact]
    public void A_forward_LSTM_with_bias_and_initial_states_matches_onnx_runtime()
    {
        var lstm = new Recurrent("LSTM", 1, new Random(301)) { InitialStates = true };
        AssertMatchesOrt(lstm.Build(), lstm.Inputs());
    }

    [Fact]
    public void A_bidirectional_LSTM_returns_each_direction_and_its_final_states()
    {
        var lstm = new Recurrent("LSTM", 2, new Random(302)) { InitialStates = true, Attributes = [OnnxAttr.String("direction", "bidirectional")] };
        AssertMatchesOrt(lstm.Build(), lstm.Inputs());
    }

    [Fact]
    public void A_reverse_LSTM_in_batch_first_layout_gives_the_sequence_first_results_transposed()
    {
        // ONNX Runtime refuses layout 1, so the oracle runs the same weights in layout 0 and the test transposes.
        var sequenceFirst = new Recurrent("LSTM", 1, new Random(303)) { Bias = false, Attributes = [OnnxAttr.String("direction", "reverse")] };
        var batchFirst = new Recurrent("LSTM", 1, new Random(303))
        {
            BatchFirst = true,
            Bias = false,
            Attributes = [OnnxAttr.String("direction", "reverse"), OnnxAttr.Int("layout", 1)],
        };
        var model = sequenceFirst.Build();
        var input = sequenceFirst.Inputs()[0];
        var expected = OrtReference.Run(model, [input]);
        var x = input.ToTensor().Permute(1, 0, 2).Contiguous();
        var outputs = ProgramOutputs.InOrder(Import(batchFirst.Build()).Module().Invoke(x), ["y", "y_h", "y_c"]);
        AssertClose(expected[0], outputs[0].Permute(1, 2, 0, 3));
        AssertClose(expected[1], outputs[1].Permute(1, 0, 2));
        AssertClose(expected[2], outputs[2].Permute(1, 0, 2));
    }

    private static void AssertClose(OrtOutput expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape.ToLongs());
        var want = (float[])expected.Data;
        var have = actual.Contiguous().ToArray<float>();
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - have[i]) <= 1e-5 + 1e-4 * Math.Abs(want[i]), $"{expected.Name}[{i}]: ONNX Runtime {want[i]}, ours {have[i]}");
    }

    [Fact]
    public void Rows_whose_sequence_ends_early_keep_their_state_and_output_zeros_in_both_directions()
    {
        var lstm = new Recurrent("LSTM", 2, new Random(304))
        {
            InitialStates = true,
            SequenceLengths = true,
            Attributes = [OnnxAttr.String("direction", "bidirectional")],
        };
        var model = lstm.Build();
        AssertMatchesOrt(model, lstm.Inputs(Steps, 2, 4));
        var program = Import(model);
        // The lengths are data: one program serves any of them.
        AssertRunMatchesOrt(program.Module(), model, lstm.Inputs(1, Steps, 3), Tolerance.Float32, "other lengths");
    }

    [Fact]
    public void An_LSTM_with_peepholes_a_cell_clip_and_coupled_input_and_forget_gates_matches_onnx_runtime()
    {
        var lstm = new Recurrent("LSTM", 1, new Random(305))
        {
            InitialStates = true,
            Peepholes = true,
            Attributes = [OnnxAttr.Float("clip", 0.7f), OnnxAttr.Int("input_forget", 1)],
        };
        AssertMatchesOrt(lstm.Build(), lstm.Inputs());
    }

    [Fact]
    public void An_LSTM_with_listed_activations_consumes_their_alphas_and_betas_in_order()
    {
        // HardSigmoid takes alpha 0.3 and beta 0.4, Elu the next alpha (0.9), Softsign none.
        var lstm = new Recurrent("LSTM", 1, new Random(306))
        {
            InitialStates = true,
            Attributes =
            [
                OnnxAttr.Strings("activations", "HardSigmoid", "Elu", "Softsign"),
                OnnxAttr.Floats("activation_alpha", 0.3f, 0.9f),
                OnnxAttr.Floats("activation_beta", 0.4f),
            ],
        };
        AssertMatchesOrt(lstm.Build(), lstm.Inputs());
    }

    [Fact]
    public void A_bidirectional_GRU_matches_onnx_runtime()
    {
        var gru = new Recurrent("GRU", 2, new Random(307)) { InitialStates = true, Attributes = [OnnxAttr.String("direction", "bidirectional")] };
        AssertMatchesOrt(gru.Build(), gru.Inputs());
    }

    [Fact]
    public void A_GRU_that_applies_the_recurrence_before_the_reset_gate_matches_onnx_runtime()
    {
        // linear_before_reset = 1 is how PyTorch's nn.GRU exports.
        var gru = new Recurrent("GRU", 1, new Random(308)) { InitialStates = true, Attributes = [OnnxAttr.Int("linear_before_reset", 1)] };
        AssertMatchesOrt(gru.Build(), gru.Inputs());
        var reverse = new Recurrent("GRU", 1, new Random(309))
        {
            SequenceLengths = true,
            Attributes = [OnnxAttr.Int("linear_before_reset", 1), OnnxAttr.String("direction", "reverse")],
        };
        AssertMatchesOrt(reverse.Build(), reverse.Inputs(3, Steps, 1));
    }

    [Fact]
    public void A_bidirectional_RNN_with_relu_and_leaky_relu_matches_onnx_runtime()
    {
        var rnn = new Recurrent("RNN", 2, new Random(310))
        {
            InitialStates = true,
            Attributes =
            [
                OnnxAttr.String("direction", "bidirectional"),
                OnnxAttr.Strings("activations", "Relu", "LeakyRelu"),
                OnnxAttr.Floats("activation_alpha", 0.2f),
            ],
        };
        AssertMatchesOrt(rnn.Build(), rnn.Inputs());
    }

    [Fact]
    public void A_symbolic_batch_stays_symbolic_and_serves_other_batch_sizes()
    {
        var model = new OnnxModelBuilder(14)
            .Input("x", ElemType.Float, Steps, "batch", InputSize)
            .Initializer("w", RandomData.Floats(new Random(311), 4 * Hidden * InputSize), 1, 4 * Hidden, InputSize)
            .Initializer("r", RandomData.Floats(new Random(312), 4 * Hidden * Hidden), 1, 4 * Hidden, Hidden)
            .Node("LSTM", ["x", "w", "r"], ["y", "y_h"], OnnxAttr.Int("hidden_size", Hidden))
            .Output("y", ElemType.Float, [Steps, 1L, "batch", Hidden])
            .Output("y_h", ElemType.Float, [1L, "batch", Hidden])
            .Build();
        var module = Import(model).Module();
        var random = new Random(313);
        foreach (long batch in new long[] { 1, 7 })
            AssertRunMatchesOrt(module, model, [ModelInput.Floats("x", random, [Steps, batch, InputSize])], Tolerance.Float32, $"batch {batch}");
    }

    [Fact]
    public void A_plain_LSTM_or_GRU_imports_as_the_one_op_torch_export_records_and_decomposes_to_its_steps()
    {
        // No ONNX extras: aten.lstm.input as for nn.LSTM, whatever the sequence length; listed activations need the steps.
        var plain = new Recurrent("LSTM", 2, new Random(320)) { InitialStates = true, Attributes = [OnnxAttr.String("direction", "bidirectional")] };
        var model = plain.Build();
        var program = Import(model);
        Assert.Contains("torch.ops.aten.lstm.input", program.ToString());
        var inputs = plain.Inputs();
        var core = program.RunDecompositions();
        Assert.DoesNotContain("aten.lstm", core.ToString());
        AssertRunMatchesOrt(core.Module(), model, inputs, Tolerance.Float32, "decomposed to core ops");
        var gru = new Recurrent("GRU", 1, new Random(321)) { Attributes = [OnnxAttr.Int("linear_before_reset", 1), OnnxAttr.String("direction", "reverse")] };
        Assert.Contains("torch.ops.aten.gru.input", Import(gru.Build()).ToString());
        var listed = new Recurrent("LSTM", 1, new Random(322)) { Attributes = [OnnxAttr.Strings("activations", "Sigmoid", "Tanh", "Relu")] };
        Assert.DoesNotContain("aten.lstm", Import(listed.Build()).ToString());
    }

    [Fact]
    public void A_plain_LSTM_keeps_a_symbolic_sequence_length_and_serves_other_lengths_frozen()
    {
        var model = new OnnxModelBuilder(14)
            .Input("x", ElemType.Float, "time", "batch", InputSize)
            .Initializer("w", RandomData.Floats(new Random(323), 4 * Hidden * InputSize), 1, 4 * Hidden, InputSize)
            .Initializer("r", RandomData.Floats(new Random(324), 4 * Hidden * Hidden), 1, 4 * Hidden, Hidden)
            .Initializer("b", RandomData.Floats(new Random(325), 8 * Hidden), 1, 8 * Hidden)
            .Node("LSTM", ["x", "w", "r", "b"], ["y", "y_h", "y_c"], OnnxAttr.Int("hidden_size", Hidden))
            .Output("y", ElemType.Float, ["time", 1L, "batch", Hidden])
            .Output("y_h", ElemType.Float, [1L, "batch", Hidden])
            .Output("y_c", ElemType.Float, [1L, "batch", Hidden])
            .Build();
        var module = Import(model).Module().Freeze();
        Assert.Equal(1, module.PreparedRecurrences);
        var random = new Random(326);
        foreach (var (steps, batch) in new[] { (1L, 1L), (9L, 4L), (40L, 2L) })
            AssertRunMatchesOrt(module, model, [ModelInput.Floats("x", random, [steps, batch, InputSize])], Tolerance.Float32, $"{steps} steps of {batch}");
    }

    [Fact]
    public void On_the_CUDA_plan_an_LSTM_of_symbolic_length_runs_on_the_host_and_the_rest_on_the_device()
    {
        // Unrolling needs the length: the recurrence stays one host step, the products after it device kernels.
        var model = new OnnxModelBuilder(14)
            .Input("x", ElemType.Float, "time", 2, InputSize)
            .Initializer("w", RandomData.Floats(new Random(327), 4 * Hidden * InputSize), 1, 4 * Hidden, InputSize)
            .Initializer("r", RandomData.Floats(new Random(328), 4 * Hidden * Hidden), 1, 4 * Hidden, Hidden)
            .Initializer("scale", RandomData.Floats(new Random(329), Hidden), Hidden)
            .Node("LSTM", ["x", "w", "r"], ["y", "y_h"], OnnxAttr.Int("hidden_size", Hidden))
            .Node("Mul", ["y_h", "scale"], ["scaled"])
            .Node("Tanh", ["scaled"], ["out"])
            .Output("out", ElemType.Float, [1L, 2L, Hidden])
            .Build();
        var program = Import(model);
        var plan = Graphport.Kernels.CudaCompiler.Plan(program, [[7, 2, InputSize]]);
        Assert.Equal(["aten::lstm.input"], plan.HostOps);
        var x = ModelInput.Floats("x", new Random(330), [7, 2, InputSize]).ToTensor();
        var expected = (Tensor)program.Module().Invoke(x)!;
        var twin = Graphport.Kernels.Twin.CpuTwin.Run(plan, [x]).OfType<Tensor>().Single();
        Assert.True((twin - expected).Abs().Max().Item() <= 1e-5, "the plan's host LSTM and device kernels differ from the interpreter");
    }

    [Fact]
    public void A_symbolic_sequence_length_is_refused_with_the_option_that_fixes_it()
    {
        var model = new OnnxModelBuilder(14)
            .Input("x", ElemType.Float, "time", 2, InputSize)
            .Initializer("w", RandomData.Floats(new Random(314), 3 * Hidden * InputSize), 1, 3 * Hidden, InputSize)
            .Initializer("r", RandomData.Floats(new Random(315), 3 * Hidden * Hidden), 1, 3 * Hidden, Hidden)
            .NamedNode("gru", "GRU", ["x", "w", "r"], ["y"], OnnxAttr.Int("hidden_size", Hidden))
            .Output("y", ElemType.Float, ["time", 1L, 2L, Hidden])
            .Build();
        var error = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'gru' (GRU)", error.Message);
        Assert.Contains("symbolic sequence length", error.Message);
        Assert.Contains("--dim", error.Message);

        var fixedLength = new OnnxImportOptions { DimSizes = { ["time"] = 4 }, StaticShapes = true };
        AssertMatchesOrt(model, [ModelInput.Floats("x", new Random(316), [4, 2, InputSize])], Tolerance.Float32, fixedLength);
    }

    [Fact]
    public void Weights_that_disagree_with_hidden_size_are_refused_naming_the_shapes()
    {
        var model = new OnnxModelBuilder(14)
            .Input("x", ElemType.Float, Steps, Batch, InputSize)
            .Initializer("w", RandomData.Floats(new Random(317), 4 * Hidden * InputSize), 1, 4 * Hidden, InputSize)
            .Initializer("r", RandomData.Floats(new Random(318), 4 * Hidden * Hidden), 1, 4 * Hidden, Hidden)
            .NamedNode("lstm", "LSTM", ["x", "w", "r"], ["y"], OnnxAttr.Int("hidden_size", Hidden + 1))
            .Output("y", ElemType.Float, [Steps, 1L, Batch, Hidden])
            .Build();
        var error = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("hidden_size 7", error.Message);
        Assert.Contains("[1, 24, 6]", error.Message);
    }
}
