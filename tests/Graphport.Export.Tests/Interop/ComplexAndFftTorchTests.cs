using System.Numerics;
using System.Text.Json.Nodes;

namespace Graphport.Tests.Interop;

/// <summary>
/// Complex tensors and torch.fft, against PyTorch on random inputs: complex arithmetic and its type promotion,
/// parts, conjugate, argument, reductions; every torch.fft transform with n/s resizing and the three norms, on
/// power-of-two and other lengths; torch.stft and its windows; LLaMA's complex rotary embedding and a Whisper-style
/// log spectrogram exported, decomposed and run; complex tensors printed as torch prints them.
/// </summary>
public class ComplexAndFftTorchTests
{
    private const string Script = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        out = {}
        a, b = torch.randn(3, 4), torch.randn(3, 4)
        c, d = torch.randn(3, 4), torch.randn(3, 4)
        z, w = torch.complex(a, b), torch.complex(c, d)
        out.update(a=a, b=b, c=c, d=d)
        out["polar"] = torch.polar(a.abs(), b)
        out["mul"], out["add"], out["sub"], out["div"] = z * w, z + w, z - w, z / w
        out["exp"], out["log"], out["sqrt"], out["tanh"], out["sigmoid"] = z.exp(), z.log(), z.sqrt(), z.tanh(), z.sigmoid()
        out["abs"], out["angle"], out["conj"], out["sgn"] = z.abs(), z.angle(), z.conj(), z.sgn()
        out["real"], out["imag"] = (z * w).real, (z * w).imag
        out["sum0"], out["mean"], out["square"], out["reciprocal"] = z.sum(0), z.mean(), z ** 2, z.reciprocal()
        out["scalar"], out["broadcast"] = z * (1.5 - 2j) + 1j, a[0] * z - 2
        out["eq"] = (z == torch.where(a > 0, z, w)).to(torch.float32)
        out["cat"], out["index_select"], out["roll"], out["roll_flat"] = torch.cat([z, w], 1), z.index_select(1, torch.tensor([3, 0, 2])), z.roll(1, 0), z.roll(2)
        out["mm"], out["bmm"], out["einsum"] = z @ w.T, torch.bmm(z.unsqueeze(0), w.T.unsqueeze(0)), torch.einsum("ij,kj->ik", z, w)
        out["cumsum"], out["masked_fill"], out["norm"] = z.cumsum(1), z.masked_fill(a > 0, 2.0), torch.linalg.vector_norm(z)
        out["isnan"] = torch.complex(torch.tensor([0.0, float("nan"), 1.0]), torch.tensor([float("nan"), 0.0, 2.0])).isnan().float()
        fno_w, fno_x = torch.complex(torch.rand(3, 4, 3, 3), torch.rand(3, 4, 3, 3)) * 0.1, torch.randn(2, 3, 8, 8)
        out_ft = torch.zeros(2, 4, 8, 5, dtype=torch.cfloat)
        out_ft[:, :, :3, :3] = torch.einsum("bixy,ioxy->boxy", torch.fft.rfft2(fno_x)[:, :, :3, :3], fno_w)
        out["fno"], out["fno_w"], out["fno_x"] = torch.fft.irfft2(out_ft, s=(8, 8)), fno_w, fno_x
        zz = torch.complex(a.double(), b.double())
        out["f64_mul"] = zz * w
        out["angle_real"] = torch.tensor([-2.0, 0.0, 3.0]).angle()
        x1, x7 = torch.randn(3, 12), torch.randn(2, 7)
        img = torch.randn(2, 6, 5)
        cx = torch.complex(torch.randn(3, 10), torch.randn(3, 10))
        out.update(x1=x1, x7=x7, img=img, cx_re=cx.real.contiguous(), cx_im=cx.imag.contiguous())
        F = torch.fft
        out["fft"], out["ifft"], out["rfft"] = F.fft(x1), F.ifft(x1), F.rfft(x1)
        out["rfft_n8"], out["rfft_n16_ortho"] = F.rfft(x1, n=8), F.rfft(x1, n=16, norm="ortho")
        out["irfft"], out["irfft_n11"] = F.irfft(F.rfft(x1)), F.irfft(F.rfft(x7), n=11)
        out["fft_odd_forward"], out["ifft_complex"] = F.fft(x7, norm="forward"), F.ifft(cx)
        out["fft_complex_dim0"] = F.fft(cx, dim=0)
        out["hfft"], out["ihfft"] = F.hfft(cx), F.ihfft(x7)
        out["fft2"], out["ifft2"], out["rfft2"] = F.fft2(img), F.ifft2(img), F.rfft2(img)
        out["irfft2"] = F.irfft2(F.rfft2(img), s=img.shape[-2:])
        out["fftn_s"], out["rfftn_dims"], out["irfftn"] = F.fftn(img, s=(4, 7)), F.rfftn(img, dim=(0, 2)), F.irfftn(F.rfftn(img))
        out["fftfreq"], out["rfftfreq"] = F.fftfreq(7, 0.5), F.rfftfreq(8)
        out["fftshift"], out["ifftshift"] = F.fftshift(img, dim=(1, 2)), F.ifftshift(img)
        out["rfft_f64"] = F.rfft(x1.double())
        sig = torch.randn(2, 1600)
        out["sig"] = sig
        spec16 = torch.stft(sig[:, :300], 32, 8, window=torch.hann_window(32), return_complex=True)
        out["istft"] = torch.istft(spec16, 32, 8, window=torch.hann_window(32), length=300)
        out["istft_short_window"] = torch.istft(spec16[0], 32, 8, win_length=24, window=torch.hann_window(24), length=290)
        out["istft_nocenter"] = torch.istft(torch.stft(sig[:, :300], 32, 16, window=torch.hamming_window(32), center=False, return_complex=True), 32, 16, window=torch.hamming_window(32), center=False)
        out["hann"], out["hann_sym"], out["hamming"], out["blackman"], out["blackman_sym"] = torch.hann_window(10), torch.hann_window(10, periodic=False), torch.hamming_window(12), torch.blackman_window(9), torch.blackman_window(9, periodic=False)
        out["stft"] = torch.stft(sig, 400, 160, window=torch.hann_window(400), return_complex=True)
        out["stft_nocenter"] = torch.stft(sig, 256, 100, win_length=200, window=torch.hamming_window(200), center=False, normalized=True, return_complex=True)
        out["stft_1d_twosided"] = torch.stft(sig[0], 64, window=torch.hann_window(64), onesided=False, pad_mode="constant", return_complex=True)
        xq, freqs = torch.randn(2, 5, 3, 8), torch.randn(5, 1, 4)
        out.update(xq=xq, freqs=freqs)
        fc = torch.polar(torch.ones_like(freqs), freqs)
        out["rope"] = torch.view_as_real(torch.view_as_complex(xq.reshape(*xq.shape[:-1], -1, 2)) * fc).flatten(3)
        spec = torch.stft(sig, 400, 160, window=torch.hann_window(400), return_complex=True)
        out["logmel"] = spec[..., :-1].abs().pow(2).clamp(min=1e-10).log10()
        from graphport_results import save
        save(out)
        """;

    private static readonly Lazy<(JsonNode Json, int Seed)> Results = new(() =>
    {
        int seed = Environment.TickCount & 0xFFFF;
        return (TorchScriptJson.Run(Script, seed), seed);
    });

    private static Tensor T(string key) => TorchScriptJson.Tensor(Results.Value.Json[key]!);

    /// <summary>
    /// Within a few float32 roundings of torch's values, relative to the largest: complex results compare as
    /// view_as_real pairs (torch's were written that way).
    /// </summary>
    private static void Close(string key, Tensor actual, double tolerance = 2e-5)
    {
        var expected = T(key).To(DType.Float64);
        var got = (actual.IsComplex() ? Torch.ViewAsReal(actual) : actual).To(DType.Float64);
        Assert.Equal(expected.Shape.Select(s => (long)s), got.Shape.Select(s => (long)s));
        double scale = Math.Max(1, expected.Abs().Max().Item());
        double worst = (got - expected).Abs().Max().Item();
        Assert.True(worst <= tolerance * scale, $"seed {Results.Value.Seed}: {key} differs from torch by {worst} (scale {scale})");
    }

    [Fact]
    public void Complex_arithmetic_parts_and_reductions_compute_what_torch_computes()
    {
        Tensor a = T("a"), b = T("b"), c = T("c"), d = T("d");
        Tensor z = Torch.Complex(a, b), w = Torch.Complex(c, d);
        Assert.Equal(DType.Complex64, z.DType);
        Close("polar", Torch.Polar(a.Abs(), b));
        Close("mul", z * w);
        Close("add", z + w);
        Close("sub", z - w);
        Close("div", z / w);
        Close("exp", z.Exp());
        Close("log", z.Log());
        Close("sqrt", z.Sqrt());
        Close("tanh", z.Tanh());
        Close("sigmoid", z.Sigmoid());
        Close("abs", z.Abs());
        Assert.Equal(DType.Float32, z.Abs().DType);
        Close("angle", z.Angle());
        Close("conj", z.Conj());
        Close("sgn", z.Sgn());
        Close("real", (z * w).Real);
        Close("imag", (z * w).Imag);
        Close("sum0", z.Sum(0));
        Close("mean", z.Mean());
        Close("square", z.Pow(2));
        Close("reciprocal", z.Reciprocal());
        Close("scalar", z * new Complex(1.5, -2) + new Complex(0, 1));
        Close("broadcast", a[0] * z - 2);
        Close("eq", (z == Torch.Where(a > 0, z, w)).To(DType.Float32));
        var wide = Torch.Complex(a.To(DType.Float64), b.To(DType.Float64)) * w;
        Assert.Equal(DType.Complex128, wide.DType);
        Close("f64_mul", wide, 1e-12);
        Close("angle_real", Tensor.FromArray(new float[] { -2, 0, 3 }, 3).Angle());

        Close("cat", Torch.Cat([z, w], 1));
        Close("index_select", z.IndexSelect(1, Tensor.FromArray(new long[] { 3, 0, 2 }, 3)));
        Close("roll", z.Roll(1, 0));
        Close("roll_flat", Torch.Ops["aten::roll"].CallTensor(z, new long[] { 2 }, Array.Empty<long>()));
        Close("mm", z.Matmul(w.T()));
        Close("bmm", z.Unsqueeze(0).Bmm(w.T().Unsqueeze(0)));
        Close("einsum", Torch.Einsum("ij,kj->ik", z, w));
        Assert.Contains("same dtype", Assert.ThrowsAny<Exception>(() => a.Matmul(w.T())).Message, StringComparison.Ordinal);
        Close("cumsum", z.Cumsum(1));
        Close("masked_fill", z.MaskedFill(a > 0, 2.0));
        Close("norm", Torch.Ops["aten::linalg_vector_norm"].CallTensor(z, 2L, null, false));
        var nan = Torch.Complex(Tensor.FromArray(new float[] { 0, float.NaN, 1 }, 3), Tensor.FromArray(new float[] { float.NaN, 0, 2 }, 3));
        Close("isnan", nan.IsNan().To(DType.Float32));

        // A real tensor meets a complex number: complex64 from float32, complex128 from float64, as torch promotes.
        Assert.Equal(DType.Complex64, (a * new Complex(0, 1)).DType);
        Assert.Equal(DType.Complex128, (a.To(DType.Float64) * new Complex(0, 1)).DType);
        Assert.Equal(DType.Complex64, (a.To(DType.Int64) + z).DType);
        var parts = Torch.ViewAsReal(z);
        Assert.Equal([3L, 4, 2], parts.Shape.Select(s => (long)s));
        Assert.True(Torch.ViewAsComplex(parts).AllClose(z));
        Assert.Equal(z.ToArray<Complex>()[5], z.Reshape(12)[5].Item<Complex>());
    }

    [Fact]
    public void Every_fft_transform_matches_torch_fft_with_its_sizes_and_norms()
    {
        Tensor x1 = T("x1"), x7 = T("x7"), img = T("img");
        var cx = Torch.Complex(T("cx_re"), T("cx_im"));
        Close("fft", TorchFft.Fft(x1));
        Close("ifft", TorchFft.Ifft(x1));
        Close("rfft", TorchFft.Rfft(x1));
        Close("rfft_n8", TorchFft.Rfft(x1, 8));
        Close("rfft_n16_ortho", TorchFft.Rfft(x1, 16, norm: "ortho"));
        Close("irfft", TorchFft.Irfft(TorchFft.Rfft(x1)));
        Close("irfft_n11", TorchFft.Irfft(TorchFft.Rfft(x7), 11));
        Close("fft_odd_forward", TorchFft.Fft(x7, norm: "forward"));
        Close("ifft_complex", TorchFft.Ifft(cx));
        Close("fft_complex_dim0", TorchFft.Fft(cx, dim: 0));
        Close("hfft", TorchFft.Hfft(cx));
        Close("ihfft", TorchFft.Ihfft(x7));
        Close("fft2", TorchFft.Fft2(img));
        Close("ifft2", TorchFft.Ifft2(img));
        Close("rfft2", TorchFft.Rfft2(img));
        Close("irfft2", TorchFft.Irfft2(TorchFft.Rfft2(img), [6, 5]));
        Close("fftn_s", TorchFft.Fftn(img, [4, 7]));
        Close("rfftn_dims", TorchFft.Rfftn(img, dim: [0, 2]));
        Close("irfftn", TorchFft.Irfftn(TorchFft.Rfftn(img)));
        Close("fftfreq", TorchFft.Fftfreq(7, 0.5));
        Close("rfftfreq", TorchFft.Rfftfreq(8));
        Close("fftshift", TorchFft.Fftshift(img, [1, 2]));
        Close("ifftshift", TorchFft.Ifftshift(img));
        var wide = TorchFft.Rfft(x1.To(DType.Float64));
        Assert.Equal(DType.Complex128, wide.DType);
        Close("rfft_f64", wide, 1e-12);
    }

    [Fact]
    public void Stft_and_its_windows_match_torch()
    {
        var sig = T("sig");
        Close("hann", Torch.HannWindow(10));
        Close("hann_sym", Torch.HannWindow(10, periodic: false));
        Close("hamming", Torch.HammingWindow(12));
        Close("blackman", Torch.BlackmanWindow(9));
        Close("blackman_sym", Torch.BlackmanWindow(9, periodic: false));
        Close("stft", Torch.Stft(sig, 400, 160, window: Torch.HannWindow(400)));
        Close("stft_nocenter", Torch.Stft(sig, 256, 100, winLength: 200, window: Torch.HammingWindow(200), center: false, normalized: true));
        Close("stft_1d_twosided", Torch.Stft(sig[0], 64, window: Torch.HannWindow(64), onesided: false, padMode: "constant"));
        var spectrum = Torch.Stft(sig[.., ..300], 32, 8, window: Torch.HannWindow(32));
        Close("istft", Torch.Istft(spectrum, 32, 8, window: Torch.HannWindow(32), length: 300));
        Close("istft_short_window", Torch.Istft(spectrum[0], 32, 8, winLength: 24, window: Torch.HannWindow(24), length: 290));
        Close("istft_nocenter", Torch.Istft(Torch.Stft(sig[.., ..300], 32, 16, window: Torch.HammingWindow(32), center: false), 32, 16, window: Torch.HammingWindow(32), center: false));
        // A round trip gives the signal back, and a window whose squares leave a gap (NOLA) is refused.
        Assert.True(Torch.Istft(spectrum, 32, 8, window: Torch.HannWindow(32), length: 300).AllClose(sig[.., ..300], 1e-4, 1e-5));
        Assert.Contains("window overlap add min", Assert.Throws<ArgumentException>(() => Torch.Istft(spectrum, 32, 32, window: Torch.HannWindow(32), center: false)).Message, StringComparison.Ordinal);
        // A vocoder's tail: exported and decomposed, istft is _fft_c2r and index_put, with torch's values.
        var vocoder = Torch.Export(new InverseSpectrogram(), [spectrum]);
        Close("istft", vocoder.Module().Call(spectrum));
        var vocoderCore = vocoder.RunDecompositions();
        Assert.Contains("torch.ops.aten._fft_c2r.default", vocoderCore.ToString(), StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.index_put.default", vocoderCore.ToString(), StringComparison.Ordinal);
        Close("istft", vocoderCore.Module().Call(spectrum));
        var real = Torch.Stft(sig, 400, 160, window: Torch.HannWindow(400), returnComplex: false);
        Assert.Equal([2L, 201, 11, 2], real.Shape.Select(s => (long)s));
    }

    private sealed class InverseSpectrogram : Module<Tensor, Tensor>
    {
        private readonly Tensor window;

        public InverseSpectrogram() => window = RegisterBuffer("window", Torch.HannWindow(32));

        public override Tensor Forward(Tensor spectrum) => Torch.Istft(spectrum, 32, 8, window: window, length: 300);
    }

    /// <summary>The Fourier neural operator's spectral convolution: complex weights mix the lowest modes of rfft2.</summary>
    private sealed class SpectralConv2d : Module<Tensor, Tensor>
    {
        private readonly Parameter weights;

        public SpectralConv2d(Tensor complexWeights) => weights = RegisterParameter("weights1", new Parameter(complexWeights));

        public override Tensor Forward(Tensor x)
        {
            var spectrum = TorchFft.Rfft2(x);
            var mixed = Torch.Zeros([x.Size(0), 4, x.Size(2), x.Size(3) / 2 + 1], DType.Complex64);
            mixed[.., .., ..3, ..3] = Torch.Einsum("bixy,ioxy->boxy", spectrum[.., .., ..3, ..3], weights);
            return TorchFft.Irfft2(mixed, [8, 8]);
        }
    }

    [Fact]
    public void A_fourier_neural_operators_spectral_convolution_with_complex_weights_exports_and_matches_torch()
    {
        var layer = new SpectralConv2d(Torch.ViewAsComplex(T("fno_w")));
        var x = T("fno_x");
        Close("fno", layer.Call(x));
        var program = Torch.Export(layer, [x]);
        Assert.Contains("p_weights1: \"c64[3, 4, 3, 3]\"", program.ToString(), StringComparison.Ordinal);
        Close("fno", program.Module().Call(x));
        var core = program.RunDecompositions();
        core.Verify(requireCore: true);
        Close("fno", core.Module().Call(x));
    }

    private sealed class LlamaRotary : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor xq, Tensor freqs)
        {
            var freqsCis = Torch.Polar(Torch.OnesLike(freqs), freqs);
            var shape = xq.Shape.ToArray();
            var pairs = Torch.ViewAsComplex(xq.Reshape([.. shape[..^1], -1, 2]));
            return Torch.ViewAsReal(pairs * freqsCis).Flatten(3);
        }
    }

    [Fact]
    public void Llamas_complex_rotary_embedding_exports_with_a_dynamic_sequence_and_runs_as_torch_does()
    {
        Tensor xq = T("xq"), freqs = T("freqs");
        var seq = new Dim("seq", min: 2, max: 512);
        var program = Torch.Export(new LlamaRotary(), [xq, freqs], dynamicShapes: new() { ["xq"] = new() { [1] = seq }, ["freqs"] = new() { [0] = seq } });
        string text = program.ToString();
        Assert.Contains("torch.ops.aten.view_as_complex.default", text, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.polar.default", text, StringComparison.Ordinal);
        Assert.Contains("c64[2, s", text, StringComparison.Ordinal);
        Close("rope", program.Module().Call(xq, freqs));

        // Decomposed, the complex ops stay (torch has no decomposition for them either) and the result is unchanged.
        var core = program.RunDecompositions();
        Assert.Contains("torch.ops.aten.view_as_real.default", core.ToString(), StringComparison.Ordinal);
        Close("rope", core.Module().Call(xq, freqs));
        var shorter = core.Module().Call(xq[.., ..3], freqs[..3]);
        Assert.Equal(3L, (long)shorter.Shape[1]);

        // Saved and loaded, it gives the same values (its complex values read back as real pairs).
        string path = Path.Combine(Path.GetTempPath(), $"graphport-rope-{Guid.NewGuid():N}.pt2");
        try
        {
            program.Save(path);
            Close("rope", ExportedProgram.Load(path).Module().Call(xq, freqs));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class TimesI : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x) => TorchFft.Fft(x) * new Complex(0, 1);
    }

    [Fact]
    public void A_complex_program_with_a_complex_number_argument_saves_and_loads_with_its_complex_tensors()
    {
        var x = T("x1");
        var program = Torch.Export(new TimesI(), [x]);
        Assert.Contains("complex(0.0, 1.0)", program.ToString(), StringComparison.Ordinal);
        string path = Path.Combine(Path.GetTempPath(), $"graphport-complex-{Guid.NewGuid():N}.pt2");
        try
        {
            program.Save(path);
            var loaded = ExportedProgram.Load(path);
            var result = loaded.Module().Call(x);
            Assert.Equal(DType.Complex64, result.DType);
            Assert.True(result.AllClose(TorchFft.Fft(x) * new Complex(0, 1), 1e-5, 1e-5));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class LogSpectrogram : Module<Tensor, Tensor>
    {
        private readonly Tensor window;

        public LogSpectrogram() => window = RegisterBuffer("window", Torch.HannWindow(400));

        public override Tensor Forward(Tensor audio)
        {
            var spectrum = Torch.Stft(audio, 400, 160, window: window);
            return spectrum[.., .., ..^1].Abs().Pow(2).Clamp(min: 1e-10).Log10();
        }
    }

    [Fact]
    public void A_whisper_style_log_spectrogram_exports_decomposes_to_fft_r2c_and_matches_torch()
    {
        var sig = T("sig");
        var program = Torch.Export(new LogSpectrogram(), [sig]);
        Close("logmel", program.Module().Call(sig), 1e-4);
        var core = program.RunDecompositions();
        string text = core.ToString();
        Assert.Contains("torch.ops.aten._fft_r2c.default", text, StringComparison.Ordinal);
        Assert.Contains("c64[2, 11, 201]", text, StringComparison.Ordinal);
        Close("logmel", core.Module().Call(sig), 1e-4);

        // Over a dynamic number of samples the frame count is an expression of it, and other lengths run.
        var dynamic = Torch.Export(new LogSpectrogram(), [sig], dynamicShapes: new() { ["audio"] = new() { [1] = new Dim("samples", min: 400, max: 480000) } });
        Assert.Contains("c64[2, (s0)//160 + 1, 201]", dynamic.RunDecompositions().ToString(), StringComparison.Ordinal);
        Close("logmel", dynamic.Module().Call(sig), 1e-4);
        var longer = Torch.Randn(2, 2345);
        var expected = new LogSpectrogram().Call(longer);
        Assert.Equal([2L, 201, 14], dynamic.Module().Call(longer).Shape.Select(d => (long)d));
        Assert.True(dynamic.Module().Call(longer).AllClose(expected, 1e-5, 1e-5));
    }

    [Fact]
    public void Complex_tensors_print_as_torch_prints_them()
    {
        Tensor Of(float[] re, float[] im) => Torch.Complex(Tensor.FromArray(re, re.Length), Tensor.FromArray(im, im.Length));
        Assert.Equal("tensor([1.+2.j, 3.-1.j])", Of([1, 3], [2, -1]).ToString());
        Assert.Equal("tensor([ 1.5000+2.0000j, -3.0000-0.2500j])", Of([1.5f, -3], [2, -0.25f]).ToString());
        Assert.Equal("tensor([[1.0000e-05+2.j, 3.0000e+05-1.j]], dtype=torch.complex128)",
            Torch.Complex(Tensor.FromArray(new[] { 1e-5, 3e5 }, 1, 2), Tensor.FromArray(new[] { 2.0, -1 }, 1, 2)).ToString());
        Assert.Equal("tensor([0.-0.j, nan+infj])", Of([0, float.NaN], [-0f, float.PositiveInfinity]).ToString());
        Assert.Equal("tensor([], dtype=torch.complex64)", Torch.Zeros([0], DType.Complex64).ToString());
        Assert.Equal("tensor(1.5000-2.j)", Of([1.5f], [-2])[0].ToString());
    }

    [Fact]
    public void What_torch_refuses_on_complex_tensors_is_refused_with_what_to_do()
    {
        var z = Torch.Complex(Torch.Randn(3), Torch.Randn(3));
        Assert.Contains("last dimension of size 2", Assert.Throws<ArgumentException>(() => Torch.ViewAsComplex(Torch.Randn(3, 4))).Message, StringComparison.Ordinal);
        Assert.Contains("only supported for complex tensors", Assert.Throws<ArgumentException>(() => Torch.ViewAsReal(Torch.Randn(3))).Message, StringComparison.Ordinal);
        Assert.Contains("imag is not implemented for tensors with non-complex dtypes", Assert.Throws<ArgumentException>(() => Torch.Randn(3).Imag).Message, StringComparison.Ordinal);
        Assert.Contains("same dtype", Assert.Throws<ArgumentException>(() => Torch.Complex(Torch.Randn(3), Torch.Randn(3).To(DType.Float64))).Message, StringComparison.Ordinal);
        Assert.Contains("not implemented for 'ComplexFloat'", Assert.Throws<NotSupportedException>(() => z.Relu()).Message, StringComparison.Ordinal);
        Assert.Contains("not implemented for 'ComplexFloat'", Assert.Throws<NotSupportedException>(() => z < z.Conj()).Message, StringComparison.Ordinal);
        Assert.Contains("rfft expects a real input tensor", Assert.Throws<ArgumentException>(() => TorchFft.Rfft(z)).Message, StringComparison.Ordinal);
        Assert.Contains("Invalid normalization mode", Assert.Throws<ArgumentException>(() => TorchFft.Fft(z, norm: "unitary")).Message, StringComparison.Ordinal);
        Assert.Contains("Invalid number of data points (0)", Assert.Throws<ArgumentException>(() => TorchFft.Fft(z, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("return_complex", Assert.Throws<ArgumentException>(() => Torch.Ops["aten::stft"].Call(Torch.Randn(100), 16L)).Message, StringComparison.Ordinal);
        Assert.Contains("GetComplex", Assert.Throws<InvalidOperationException>(() => z[0].Item()).Message, StringComparison.Ordinal);
        Assert.Contains("ToArray<System.Numerics.Complex>", Assert.Throws<InvalidOperationException>(() => z.ToArray<float>()).Message, StringComparison.Ordinal);
        Assert.Contains("without overflow", Assert.Throws<ArgumentException>(() => Torch.Ops["aten::masked_fill.Scalar"].Call(Torch.Zeros(3), Torch.Ones([3], DType.Bool), new Complex(0, 1))).Message, StringComparison.Ordinal);
    }
}
