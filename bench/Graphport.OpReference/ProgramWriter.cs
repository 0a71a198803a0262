using System.Text.Json.Nodes;
using Graphport.Tests.Exporting;
using Graphport.Tests.Serialization;
using static Graphport.Torch;

namespace Graphport.OpReference;

/// <summary>
/// Writes the tutorial's programs (static, with dynamic and derived dims, decomposed to Core ATen) and the
/// serialization tests' state and pytree modules, and a classifier's loss as .pt2 archives, each with &lt;name&gt;.expected.json next to it in
/// the format of tests/fixtures/pt2 (cases of inputs and the flattened outputs our loaded program computes), for
/// bench/torch/load_ours.py to load with torch.export.load and compare.
/// </summary>
internal static class ProgramWriter
{
    private sealed record Program(string Name, Func<ExportedProgram> Export, Func<object?[]>[] Calls);

    private static Func<object?[]> Inputs(ulong seed, params long[][] shapes) => () =>
    {
        ManualSeed(seed);
        return shapes.Select(s => (object?)Randn(s)).ToArray();
    };

    private static DynamicShapes Batch(string input) => new() { [input] = new() { [0] = new Dim("batch", max: 1024) } };

    private static IEnumerable<Program> Programs()
    {
        Func<ExportedProgram> myModule = () => { ManualSeed(1); return Export(new MyModule(), [Randn(8, 100), Randn(8, 100)]); };
        yield return new("my_module", myModule, [Inputs(2, [8, 100], [8, 100])]);
        yield return new("my_module_core", () => myModule().RunDecompositions(), [Inputs(3, [8, 100], [8, 100])]);

        yield return new("dynamic_shapes_example1", () => Export(new DynamicShapesExample1(), [Randn(10, 10, 2)],
            dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("inp1_dim0"), [1] = new Dim("inp1_dim1", min: 4, max: 18) } }),
            [Inputs(4, [10, 10, 2]), Inputs(5, [3, 18, 2]), Inputs(6, [40, 4, 2])]);

        yield return new("dynamic_shapes_example2", () =>
        {
            var inner = new Dim("inner_dim");
            return Export(new DynamicShapesExample2(), [Randn(4, 8), Randn(8, 2)], dynamicShapes: new DynamicShapes
            {
                ["x"] = new() { [0] = new Dim("inp2_dim0"), [1] = inner },
                ["y"] = new() { [0] = inner, [1] = new Dim("inp3_dim1") },
            });
        }, [Inputs(7, [4, 8], [8, 2]), Inputs(8, [5, 3], [3, 7])]);

        yield return new("derived_dim_example1", () =>
        {
            var dimx = new Dim("dimx", min: 3, max: 6);
            return Export(new DerivedDimExample1(), [Randn(5), Randn(6)], dynamicShapes: DynamicShapes.Positional(new() { [0] = dimx }, new() { [0] = dimx + 1 }));
        }, [Inputs(9, [5], [6]), Inputs(10, [3], [4])]);

        yield return new("derived_dim_example2", () =>
        {
            var dx = new Dim("dx", min: 3, max: 6);
            return Export(new DerivedDimExample2(), [Randn(4), Randn(10)], dynamicShapes: DynamicShapes.Positional(new() { [0] = dx + 1 }, new() { [0] = dx * 3 + 1 }));
        }, [Inputs(11, [4], [10]), Inputs(12, [7], [19])]);

        yield return new("dynamic_shapes_example3", () =>
        {
            var inner = new Dim("inp4_dim1");
            return Export(new DynamicShapesExample3(), [Randn(8, 16), Randn(16, 32)], dynamicShapes: new DynamicShapes
            {
                ["x"] = new() { [0] = new Dim("inp4_dim0", max: 16), [1] = inner },
                ["y"] = new() { [0] = inner, [1] = new Dim("inp5_dim1", min: 16) },
            });
        }, [Inputs(13, [8, 16], [16, 32]), Inputs(14, [3, 20], [20, 17])]);

        yield return new("dim_auto_example3", () => Export(new DynamicShapesExample3(), [Randn(8, 16), Randn(16, 32)],
            dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = Dim.Auto, [1] = Dim.Auto }, ["y"] = new() { [0] = Dim.Auto, [1] = Dim.Auto } }),
            [Inputs(15, [8, 16], [16, 32]), Inputs(16, [5, 16], [16, 17])]);

        Func<ExportedProgram> everySecondRow = () => Export(new EverySecondRow(), [Randn(9, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("rows") } });
        yield return new("every_second_row", everySecondRow, [Inputs(17, [9, 4]), Inputs(18, [10, 4]), Inputs(19, [3, 4])]);
        yield return new("every_second_row_core", () => everySecondRow().RunDecompositions(), [Inputs(20, [10, 4])]);

        yield return new("linear_only", () => { ManualSeed(21); return Export(new LinearOnly(), [Randn(2, 3)]); }, [Inputs(22, [2, 3])]);
        Func<ExportedProgram> linearDynamic = () => { ManualSeed(23); return Export(new LinearOnly(), [Randn(4, 3)], dynamicShapes: Batch("x")); };
        yield return new("linear_only_dynamic", linearDynamic, [Inputs(24, [4, 3]), Inputs(25, [7, 3]), Inputs(26, [2, 3])]);
        yield return new("linear_only_dynamic_core", () => linearDynamic().RunDecompositions(), [Inputs(27, [5, 3])]);

        Func<ExportedProgram> manyKinds = () => Export(new ManyArgumentKinds(), [Randn(3, 2), Randn(3, 4)]);
        yield return new("many_argument_kinds", manyKinds, [Inputs(28, [3, 2], [3, 4])]);
        yield return new("many_argument_kinds_core", () => manyKinds().RunDecompositions(), [Inputs(29, [3, 2], [3, 4])]);

        yield return new("buffers_of_every_dtype", () => Export(new BuffersOfEveryDType(), [Randn(4)]), [Inputs(30, [4])]);
        yield return new("aliased_buffers", () => Export(new AliasedBuffers(), [Randn(3)]), [Inputs(31, [3])]);
        yield return new("scaled_by_transient_buffer", () => Export(new ScaledByTransientBuffer(), [Randn(3)]), [Inputs(32, [3])]);
        yield return new("tuple_in_list_out", () => Export(new TupleInListOut(), [(Randn(2), Randn(2))]),
            [() => { ManualSeed(33); return [(Randn(2), Randn(2))]; }]);
        yield return new("recurrent", () => { ManualSeed(35); return Export(new RecurrentNet(), [Randn(2, 5, 6)], dynamicShapes: Batch("x")); },
            [Inputs(36, [2, 5, 6]), Inputs(37, [4, 5, 6])]);
        yield return new("dict_in_dict_out", () => Export(new DictInDictOut(), [new Dictionary<string, Tensor> { ["a"] = Randn(3), ["b"] = Randn(3) }]),
            [() => { ManualSeed(34); return [new Dictionary<string, Tensor> { ["a"] = Randn(3), ["b"] = Randn(3) }]; }]);

        // A classifier's loss (weighted, smoothed cross entropy with an ignored label, and a pixel-wise one) over a
        // dynamic batch: nll_loss_forward's int reduction and SymInt ignore_index as torch saves them.
        Func<ExportedProgram> classifierLoss = () =>
        {
            ManualSeed(38);
            var batch = new Dim("batch", max: 1024);
            return Export(new ClassifierLoss(), [Randn(6, 8), Labels(6)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = batch }, ["labels"] = new() { [0] = batch } });
        };
        Func<object?[]> LossInputs(ulong seed, long n) => () => { ManualSeed(seed); return [Randn(n, 8), Labels(n)]; };
        yield return new("classifier_loss", classifierLoss, [LossInputs(39, 6), LossInputs(40, 11)]);
        yield return new("classifier_loss_core", () => classifierLoss().RunDecompositions(), [LossInputs(41, 9)]);

        // A segmentation decoder's unpooling (SegNet) and a margin loss over a dynamic batch: max_pool2d_with_indices
        // whose indices feed max_unpool2d, adaptive_max_pool2d and multi_margin_loss as torch saves them.
        Func<ExportedProgram> unpooling = () =>
        {
            ManualSeed(42);
            var batch = new Dim("batch", max: 64);
            return Export(new UnpoolingHead(), [Randn(2, 3, 8, 6), Randint(0, 4, 2)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = batch }, ["labels"] = new() { [0] = batch } });
        };
        Func<object?[]> UnpoolingInputs(ulong seed, long n) => () => { ManualSeed(seed); return [Randn(n, 3, 8, 6), Randint(0, 4, n)]; };
        yield return new("unpooling_margin_loss", unpooling, [UnpoolingInputs(43, 2), UnpoolingInputs(44, 5)]);
        yield return new("unpooling_margin_loss_core", () => unpooling().RunDecompositions(), [UnpoolingInputs(45, 3)]);

        // Complex numbers over a dynamic batch: a spectrogram (stft), a spectral filter with a complex number argument
        // (rfft, times 0.5j, irfft) and a rotary embedding with a complex64 buffer (LLaMA's freqs_cis).
        Func<ExportedProgram> spectral = () =>
        {
            var batch = new Dim("batch", max: 64);
            return Export(new SpectralAndRotary(), [Randn(2, 64), Randn(2, 6, 8)], dynamicShapes: new DynamicShapes { ["signal"] = new() { [0] = batch }, ["q"] = new() { [0] = batch } });
        };
        yield return new("spectral_and_rotary", spectral, [Inputs(46, [2, 64], [2, 6, 8]), Inputs(47, [5, 64], [5, 6, 8])]);
        yield return new("spectral_and_rotary_core", () => spectral().RunDecompositions(), [Inputs(48, [3, 64], [3, 6, 8])]);
        Func<ExportedProgram> statistics = () =>
        {
            var batch = new Dim("batch", min: 2, max: 64);
            return Export(new StatisticsAndLinalg(), [Randn(3, 6), Randn(3, 4, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = batch }, ["g"] = new() { [0] = batch } });
        };
        yield return new("statistics_and_linalg", statistics, [Inputs(49, [3, 6], [3, 4, 4]), Inputs(50, [7, 6], [7, 4, 4])]);
        yield return new("statistics_and_linalg_core", () => statistics().RunDecompositions(), [Inputs(51, [5, 6], [5, 4, 4])]);
        Func<object?[]> Tokens(ulong seed) => () =>
        {
            ManualSeed(seed);
            return [Randint(0, 5, 8), Rand(8)];
        };
        yield return new("unique_and_bincount", () => Export(new UniqueAndBincount(), Tokens(52)()), [Tokens(53), Tokens(54)]);
        Func<ExportedProgram> quantized = () =>
        {
            var batch = new Dim("batch", max: 64);
            return Export(new DynamicallyQuantizedLinear(), [Randn(3, 8)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = batch } });
        };
        yield return new("dynamically_quantized_linear", quantized, [Inputs(55, [3, 8]), Inputs(56, [6, 8])]);
        yield return new("dynamically_quantized_linear_core", () => quantized().RunDecompositions(), [Inputs(57, [4, 8])]);
    }

    /// <summary>PT2E's dynamic quantization written with quantized_decomposed ops: the activation's parameters chosen
    /// per call, int8 weights per output channel, the output quantized again (an int8 and a float result).</summary>
    private sealed class DynamicallyQuantizedLinear : Module<Tensor, Tensor[]>
    {
        private readonly Tensor weight;
        private readonly Tensor scales;
        private readonly Tensor zeroPoints;
        private readonly Parameter bias;

        public DynamicallyQuantizedLinear()
        {
            ManualSeed(58);
            var w = Randn(6, 8);
            scales = RegisterBuffer("w_scales", (w.Abs().Amax(1) / 127.0).Clamp(1e-6, null));
            zeroPoints = RegisterBuffer("w_zero_points", Zeros([6], dtype: DType.Int64));
            weight = RegisterBuffer("w_q", QuantizedDecomposed.QuantizePerChannel(w, scales, zeroPoints, 0, -127, 127, DType.Int8));
            bias = RegisterParameter("bias", new Parameter(Randn(6)));
        }

        public override Tensor[] Forward(Tensor x)
        {
            var (scale, zeroPoint) = QuantizedDecomposed.ChooseQParams(x, -128, 127, 1.1920928955078125e-07, DType.Int8);
            var q = QuantizedDecomposed.QuantizePerTensor(x, scale, zeroPoint, -128, 127, DType.Int8);
            var input = QuantizedDecomposed.DequantizePerTensor(q, scale, zeroPoint, -128, 127, DType.Int8);
            var w = QuantizedDecomposed.DequantizePerChannel(weight, scales, zeroPoints, 0, -127, 127, DType.Int8);
            var y = Functional.Linear(input, w, bias);
            var yq = QuantizedDecomposed.QuantizePerTensor(y, 0.05, 3, -128, 127, DType.Int8);
            return [yq, QuantizedDecomposed.DequantizePerTensor(yq, 0.05, 3, -128, 127, DType.Int8)];
        }
    }

    /// <summary>Lengths the data decides (unbacked sizes): unique with inverse and counts, bincount with weights, unique_consecutive.</summary>
    private sealed class UniqueAndBincount : Module<Tensor, Tensor, Tensor[]>
    {
        public override Tensor[] Forward(Tensor tokens, Tensor weights)
        {
            var (values, inverse, counts) = tokens.Unique(true, true, true);
            return [values, inverse, counts * 2, tokens.Bincount(weights), tokens.UniqueConsecutive()];
        }
    }

    /// <summary>Order statistics, special functions and torch.linalg factorizations (sign-free results only: LAPACK's vector signs are arbitrary).</summary>
    private sealed class StatisticsAndLinalg : Module<Tensor, Tensor, Tensor[]>
    {
        public override Tensor[] Forward(Tensor x, Tensor g)
        {
            var (kth, kthIndex) = x.Kthvalue(2, 1);
            var robust = x.Nanmedian(1).Values + x.Quantile(0.75, 1) - kth;
            var special = (x.Abs() + 0.5).Lgamma() + x.Erfc() + x.IsFinite().To(DType.Float32);
            var covariance = g.Matmul(g.Transpose(1, 2)) + Eye(4) * 4;
            var factor = TorchLinalg.Cholesky(covariance);
            var whitened = TorchLinalg.SolveTriangular(factor, x[.., ..4].Unsqueeze(-1), upper: false).Squeeze(-1);
            var (sign, logAbs) = TorchLinalg.Slogdet(g);
            return [robust, kthIndex, special, whitened, TorchLinalg.Inv(covariance), TorchLinalg.Det(g), sign * logAbs, TorchLinalg.Svdvals(g),
                TorchLinalg.Eigvalsh(covariance), TorchLinalg.Qr(g).R, TorchLinalg.MatrixExp(g * 0.2)];
        }
    }

    private sealed class SpectralAndRotary : Module<Tensor, Tensor, Tensor[]>
    {
        private readonly Tensor window;
        private readonly Tensor freqsCis;

        public SpectralAndRotary()
        {
            window = RegisterBuffer("window", HannWindow(16));
            var angles = Arange(6).To(DType.Float32).Unsqueeze(1) * (Arange(4).To(DType.Float32) * -2.0 / 8.0 * Math.Log(10000)).Exp();
            freqsCis = RegisterBuffer("freqs_cis", Polar(OnesLike(angles), angles));
        }

        public override Tensor[] Forward(Tensor signal, Tensor q)
        {
            var power = Stft(signal, 16, 4, window: window).Abs().Pow(2);
            var filtered = TorchFft.Irfft(TorchFft.Rfft(signal) * new System.Numerics.Complex(0, 0.5), 64);
            var pairs = ViewAsComplex(q.Reshape([q.Size(0), 6, 4, 2]));
            var rotated = ViewAsReal(pairs * freqsCis).Flatten(2);
            return [power, filtered, rotated];
        }
    }

    // Class indices 0-4 with every third one the ignored -100.
    private static Tensor Labels(long n) => Where(Arange(n) % 3L == 1L, Full([n], -100L), Randint(0, 5, n));

    private sealed class ClassifierLoss : Module<Tensor, Tensor, Tensor[]>
    {
        private readonly Linear head = new(8, 5);
        private readonly CrossEntropyLoss loss = new(Rand(5) + 0.5, labelSmoothing: 0.1);

        public override Tensor[] Forward(Tensor x, Tensor labels)
        {
            var logits = head.Call(x);
            var pixels = logits.View(-1, 5, 1, 1).Expand(-1, 5, 2, 3);
            return [loss.Call(logits, labels), Functional.CrossEntropy(pixels, labels.Clamp(0L, 4L).View(-1, 1, 1).Expand(-1, 2, 3), reduction: "none")];
        }
    }

    private sealed class UnpoolingHead : Module<Tensor, Tensor, Tensor[]>
    {
        private readonly Conv2d conv = new(3, 4, 3, padding: 1);
        private readonly MaxPool2d pool = new(2);
        private readonly MaxUnpool2d unpool = new(2);
        private readonly AdaptiveMaxPool2d squeeze = new(1);
        private readonly MultiMarginLoss loss = new(p: 2, margin: 0.5);

        public override Tensor[] Forward(Tensor x, Tensor labels)
        {
            var (values, indices) = pool.CallWithIndices(conv.Call(x));
            var restored = unpool.Call(values, indices);
            return [restored, loss.Call(squeeze.Call(restored).Flatten(1), labels)];
        }
    }

    public static (int Written, List<string> Failed) Write(string folder)
    {
        Directory.CreateDirectory(folder);
        int written = 0;
        var failed = new List<string>();
        foreach (var program in Programs())
        {
            try
            {
                Write(folder, program);
                written++;
            }
            catch (Exception e)
            {
                failed.Add($"{program.Name}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }
        return (written, failed);
    }

    private static void Write(string folder, Program program)
    {
        string path = Path.Combine(folder, program.Name + ".pt2");
        program.Export().Save(path);
        // The outputs come from the saved program, loaded back: what torch must reproduce.
        var module = ExportedProgram.Load(path).Module();
        var cases = new JsonArray();
        foreach (var call in program.Calls)
        {
            var inputs = call();
            var json = new JsonArray([.. inputs.Select(ValueJson.Structured)]);
            var outputs = ValueJson.Leaves(module.Invoke(inputs)).Select(v => v is Tensor t ? (JsonNode)ValueJson.Tensor(t) : ValueJson.Value(v));
            cases.Add(new JsonObject { ["inputs"] = json, ["outputs"] = new JsonArray([.. outputs]) });
        }
        var expected = new JsonObject
        {
            ["program"] = program.Name + ".pt2",
            ["note"] = "Cases run in order on one ep.module() (buffers carry over). Outputs are the flattened pytree leaves. "
                + "Inputs: tensors {dtype, shape, data}, lists, {\"tuple\": [..]}, {\"dict\": {..}}.",
            ["cases"] = cases,
        };
        File.WriteAllText(Path.Combine(folder, program.Name + ".expected.json"), expected.ToJsonString() + "\n");
    }
}
