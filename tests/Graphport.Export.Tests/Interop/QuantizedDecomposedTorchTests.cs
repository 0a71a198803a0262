using Q = Graphport.QuantizedDecomposed;

namespace Graphport.Tests.Interop;

/// <summary>
/// torch.ops.quantized_decomposed in C# (<see cref="QuantizedDecomposed"/>) against PyTorch on random inputs, many of
/// them exactly halfway between two quantization steps: every integer equal, every float bit for bit (the kernels
/// do torch's float32 arithmetic in torch's order). Exported, the ops are single nodes printed as torch prints them,
/// kept by RunDecompositions, and the program runs as the eager code did; bad parameters are refused by name.
/// </summary>
public class QuantizedDecomposedTorchTests
{
    private const string Script = """
        import json, sys, torch
        import torch.ao.quantization.fx._decomposed
        qd = torch.ops.quantized_decomposed
        torch.manual_seed(int(sys.argv[2]))
        eps = torch.finfo(torch.float32).eps
        out = {}
        x = torch.cat([torch.randint(-300, 300, (40,)).float() * 0.01, torch.randn(24) * 2]).reshape(8, 8)
        w = torch.randn(6, 8)
        scales = (w.abs().amax(dim=1) / 127).clamp(min=1e-6)
        zps = torch.randint(-3, 4, (6,))
        t = torch.randn(2, 3, 8)
        out.update(x=x, w=w, scales=scales, zps=zps, t=t)
        out["q_i8"] = qd.quantize_per_tensor(x, 0.02, 3, -128, 127, torch.int8)
        out["q_u8"] = qd.quantize_per_tensor(x, 0.02, 128, 0, 255, torch.uint8)
        out["q_i32"] = qd.quantize_per_tensor(x, 0.02, -7, -1000, 1000, torch.int32)
        out["dq_i8"] = qd.dequantize_per_tensor(out["q_i8"], 0.02, 3, -128, 127, torch.int8)
        out["dq_u8_f64"] = qd.dequantize_per_tensor(out["q_u8"], 0.02, 128, 0, 255, torch.uint8, out_dtype=torch.float64)
        s, z = qd.choose_qparams.tensor(x, -128, 127, eps, torch.int8)
        su, zu = qd.choose_qparams.tensor(x.abs(), 0, 255, eps, torch.uint8)
        ss, zs = qd.choose_qparams_symmetric.tensor(x, -128, 127, eps, torch.int8)
        ssu, zsu = qd.choose_qparams_symmetric.tensor(x, 0, 255, eps, torch.uint8)
        out.update(s=s, z=z, su=su, zu=zu, ss=ss, zs=zs, ssu=ssu, zsu=zsu)
        out["q_dyn"] = qd.quantize_per_tensor.tensor(x, s, z, -128, 127, torch.int8)
        out["dq_dyn"] = qd.dequantize_per_tensor.tensor(out["q_dyn"], s, z, -128, 127, torch.int8)
        out["qc"] = qd.quantize_per_channel(w, scales, zps, 0, -128, 127, torch.int8)
        out["qc_f64"] = qd.quantize_per_channel(w, scales.double(), zps, 0, -128, 127, torch.int8)
        out["qc_axis1"] = qd.quantize_per_channel(w, scales[:1].expand(8).contiguous() * torch.linspace(0.5, 1.5, 8), torch.zeros(8, dtype=torch.int64), 1, -128, 127, torch.int8)
        out["dqc"] = qd.dequantize_per_channel(out["qc"], scales, zps, 0, -128, 127, torch.int8)
        out["dqc_nozp_f64"] = qd.dequantize_per_channel(out["qc"], scales.double(), None, 0, -128, 127, torch.int8)
        ts, tz = qd.choose_qparams_per_token(t, torch.int8)
        tas, taz = qd.choose_qparams_per_token_asymmetric(t, torch.int8)
        out.update(ts=ts, tz=tz, tas=tas, taz=taz)
        out["qt"] = qd.quantize_per_token(t, tas, taz, -128, 127, torch.int8)
        out["dqt"] = qd.dequantize_per_token(out["qt"], tas, taz, -128, 127, torch.int8, torch.float32)
        gs = (w.reshape(-1, 4).abs().amax(dim=1) / 7).clamp(min=1e-6)
        gz = torch.randint(-1, 2, (12,))
        out.update(gs=gs, gz=gz)
        out["qg"] = qd.quantize_per_channel_group(w, gs, gz, -8, 7, torch.int8, 4)
        out["dqg"] = qd.dequantize_per_channel_group(out["qg"], gs, gz, -8, 7, torch.int8, 4, torch.float32)
        out["dqg_nozp"] = qd.dequantize_per_channel_group(out["qg"], gs, None, -8, 7, torch.int8, 4, torch.float32)
        out["fq"] = qd.fake_quant_per_channel(w, scales, zps.int(), 0, -128, 127)
        from graphport_results import save
        save(out)
        """;

    private static readonly TorchScriptResults Reference = new(Script);

    private const double Eps = 1.1920928955078125e-07;

    private static Tensor T(string key) => Reference[key];

    /// <summary>torch's dtype, shape and values, exactly.</summary>
    private static void Same(string key, Tensor actual)
    {
        var expected = T(key);
        Assert.True(expected.DType == actual.DType, $"seed {Reference.Seed}: {key} is {actual.DType.TorchName()}, torch's is {expected.DType.TorchName()}");
        Assert.True(expected.Shape.Equals(actual.Shape), $"seed {Reference.Seed}: {key} has shape [{string.Join(", ", actual.Shape)}], torch's is [{string.Join(", ", expected.Shape)}]");
        var e = expected.ToArray<double>();
        var g = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(e[i].Equals(g[i]), $"seed {Reference.Seed}: {key}[{i}] is {g[i]:R}, torch's is {e[i]:R}");
    }

    [Fact]
    public void Per_tensor_quantize_dequantize_and_parameter_choice_equal_torchs()
    {
        var x = T("x");
        Same("q_i8", Q.QuantizePerTensor(x, 0.02, 3, -128, 127, DType.Int8));
        Same("q_u8", Q.QuantizePerTensor(x, 0.02, 128, 0, 255, DType.UInt8));
        Same("q_i32", Q.QuantizePerTensor(x, 0.02, -7, -1000, 1000, DType.Int32));
        Same("dq_i8", Q.DequantizePerTensor(T("q_i8"), 0.02, 3, -128, 127, DType.Int8));
        Same("dq_u8_f64", Q.DequantizePerTensor(T("q_u8"), 0.02, 128, 0, 255, DType.UInt8, DType.Float64));
        var (s, z) = Q.ChooseQParams(x, -128, 127, Eps, DType.Int8);
        Same("s", s);
        Same("z", z);
        var (su, zu) = Q.ChooseQParams(x.Abs(), 0, 255, Eps, DType.UInt8);
        Same("su", su);
        Same("zu", zu);
        var (ss, zs) = Q.ChooseQParamsSymmetric(x, -128, 127, Eps, DType.Int8);
        Same("ss", ss);
        Same("zs", zs);
        var (ssu, zsu) = Q.ChooseQParamsSymmetric(x, 0, 255, Eps, DType.UInt8);
        Same("ssu", ssu);
        Same("zsu", zsu);
        Same("q_dyn", Q.QuantizePerTensor(x, s, z, -128, 127, DType.Int8));
        Same("dq_dyn", Q.DequantizePerTensor(T("q_dyn"), s, z, -128, 127, DType.Int8));
    }

    [Fact]
    public void Per_channel_per_token_and_per_group_ops_equal_torchs()
    {
        Tensor w = T("w"), scales = T("scales"), zps = T("zps"), t = T("t");
        Same("qc", Q.QuantizePerChannel(w, scales, zps, 0, -128, 127, DType.Int8));
        Same("qc_f64", Q.QuantizePerChannel(w, scales.To(DType.Float64), zps, 0, -128, 127, DType.Int8));
        var columnScales = scales[..1].Expand(8).Contiguous() * Torch.Linspace(0.5, 1.5, 8);
        Same("qc_axis1", Q.QuantizePerChannel(w, columnScales, Torch.Zeros([8], dtype: DType.Int64), 1, -128, 127, DType.Int8));
        Same("dqc", Q.DequantizePerChannel(T("qc"), scales, zps, 0, -128, 127, DType.Int8));
        Same("dqc_nozp_f64", Q.DequantizePerChannel(T("qc"), scales.To(DType.Float64), null, 0, -128, 127, DType.Int8));
        var (ts, tz) = Q.ChooseQParamsPerToken(t, DType.Int8);
        Same("ts", ts);
        Same("tz", tz);
        var (tas, taz) = Q.ChooseQParamsPerTokenAsymmetric(t, DType.Int8);
        Same("tas", tas);
        Same("taz", taz);
        Same("qt", Q.QuantizePerToken(t, tas, taz, -128, 127, DType.Int8));
        Same("dqt", Q.DequantizePerToken(T("qt"), tas, taz, -128, 127, DType.Int8));
        Same("qg", Q.QuantizePerChannelGroup(w, T("gs"), T("gz"), -8, 7, DType.Int8, 4));
        Same("dqg", Q.DequantizePerChannelGroup(T("qg"), T("gs"), T("gz"), -8, 7, DType.Int8, 4));
        Same("dqg_nozp", Q.DequantizePerChannelGroup(T("qg"), T("gs"), null, -8, 7, DType.Int8, 4));
        Same("fq", Q.FakeQuantPerChannel(w, scales, zps.To(DType.Int32), 0, -128, 127));
    }

    /// <summary>Dynamic quantization of a linear layer as PT2E writes it.</summary>
    private sealed class DynamicQuantizedLinear : Module<Tensor, Tensor>
    {
        private readonly Tensor weight;
        private readonly Tensor scales;
        private readonly Parameter bias;

        public DynamicQuantizedLinear()
        {
            var w = Torch.Randn(5, 16);
            scales = RegisterBuffer("w_scales", (w.Abs().Amax(1) / 127.0).Clamp(1e-6, null));
            weight = RegisterBuffer("w_q", Q.QuantizePerChannel(w, scales, Torch.Zeros([5], dtype: DType.Int64), 0, -127, 127, DType.Int8));
            bias = RegisterParameter("bias", new Parameter(Torch.Randn(5)));
        }

        public override Tensor Forward(Tensor x)
        {
            var (scale, zeroPoint) = Q.ChooseQParams(x, -128, 127, Eps, DType.Int8);
            var input = Q.DequantizePerTensor(Q.QuantizePerTensor(x, scale, zeroPoint, -128, 127, DType.Int8), scale, zeroPoint, -128, 127, DType.Int8);
            return Functional.Linear(input, Q.DequantizePerChannel(weight, scales, null, 0, -127, 127, DType.Int8), bias);
        }
    }

    [Fact]
    public void Exported_the_ops_print_as_torch_prints_them_stay_through_decomposition_and_run_as_eager()
    {
        var model = new DynamicQuantizedLinear();
        var program = Torch.Export(model, [Torch.Randn(4, 16)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("batch", max: 128) } });
        string code = program.ToString();
        Assert.Contains("torch.ops.quantized_decomposed.choose_qparams.tensor(x, -128, 127, 1.1920928955078125e-07, torch.int8)", code);
        Assert.Contains("torch.ops.quantized_decomposed.quantize_per_tensor.tensor(x, getitem, getitem_1, -128, 127, torch.int8)", code);
        Assert.Contains("torch.ops.quantized_decomposed.dequantize_per_channel.default(b_w_q, b_w_scales, None, 0, -127, 127, torch.int8)", code);
        var core = program.RunDecompositions();
        Assert.Equal(4, core.Graph.Nodes.Count(n => n.Op is Graphport.Operators.OpOverload { Namespace: "quantized_decomposed" }));
        foreach (long rows in new[] { 1L, 7L, 33L })
        {
            var x = Torch.Randn(rows, 16) * 3;
            var eager = model.Forward(x);
            Assert.Equal(eager.ToArray<float>(), ((Tensor)program.Module().Invoke(x)!).ToArray<float>());
            Assert.Equal(eager.ToArray<float>(), ((Tensor)core.Module().Freeze().Invoke(x)!).ToArray<float>());
        }
        // Saved and read back, as a cluster stores programs.
        using var stored = new MemoryStream();
        core.Save(stored);
        stored.Position = 0;
        var again = Torch.Randn(6, 16);
        Assert.Equal(model.Forward(again).ToArray<float>(), ((Tensor)ExportedProgram.Load(stored).Module().Invoke(again)!).ToArray<float>());
    }

    [Fact]
    public void Bad_dtypes_bounds_and_parameters_are_refused_by_name()
    {
        var x = Torch.Randn(3, 4);
        var error = Assert.Throws<ArgumentException>(() => Q.QuantizePerTensor(x, 0.1, 0, -128, 127, DType.Float32));
        Assert.Contains("Unsupported dtype: torch.float32", error.Message);
        error = Assert.Throws<ArgumentException>(() => Q.QuantizePerTensor(x, 0.1, 0, -200, 127, DType.Int8));
        Assert.Contains("quant_min out of bounds for dtype, quant_min_lower_bound: -128 quant_min: -200", error.Message);
        error = Assert.Throws<ArgumentException>(() => Q.QuantizePerTensor(x.To(DType.Float64), 0.1, 0, -128, 127, DType.Int8));
        Assert.Contains("Expecting input to have dtype torch.float32, but got dtype: torch.float64", error.Message);
        var q = Q.QuantizePerTensor(x, 0.1, 0, -128, 127, DType.Int8);
        error = Assert.Throws<ArgumentException>(() => Q.DequantizePerTensor(q, 0.1, 0, 0, 255, DType.UInt8));
        Assert.Contains("Expecting input to have dtype: torch.uint8, but got torch.int8", error.Message);
        error = Assert.Throws<ArgumentException>(() => Q.QuantizePerTensor(x, Torch.Ones(2), Torch.Zeros([1], dtype: DType.Int64), -128, 127, DType.Int8));
        Assert.Contains("Expecting scale tensor to be one element, but received : 2", error.Message);
        error = Assert.Throws<ArgumentException>(() => Q.ChooseQParams(x, 1, 127, Eps, DType.Int8));
        Assert.Contains("must include 0", error.Message);
        error = Assert.Throws<ArgumentException>(() => Q.QuantizePerChannel(x, Torch.Ones(3), Torch.Zeros([3], dtype: DType.Int64), 2, -128, 127, DType.Int8));
        Assert.Contains("Expecting axis to be < 2", error.Message);
        error = Assert.Throws<ArgumentException>(() => Q.QuantizePerChannelGroup(Torch.Randn(2, 6), Torch.Ones(3), Torch.Zeros([3], dtype: DType.Int64), -8, 7, DType.Int8, 4));
        Assert.Contains("not a multiple of group_size 4", error.Message);
        error = Assert.Throws<ArgumentException>(() => Q.QuantizePerToken(Torch.Randn(2, 3, 4), Torch.Ones(5, 1), Torch.Zeros([5, 1], dtype: DType.Int64), -128, 127, DType.Int8));
        Assert.Contains("num_tokens: 6", error.Message);
    }
}
