namespace Graphport.Tests.Interop;

/// <summary>
/// Complex numbers in torch programs. Llama 4's rotary embedding (torch.polar, view_as_complex, a complex product,
/// view_as_real) loads rewritten as float32 (real, imaginary) pairs, so the program holds no complex op, runs with
/// torch's values on any backend, and decomposes. A program with other complex ops, complex inputs or outputs, or a
/// complex weight (LLaMA's precomputed freqs_cis buffer, a spectrogram made with torch.stft and torch.fft), or complex128
/// values, loads with its
/// complex tensors as they are and gives torch's values. (A whole Llama 4: Interop/TransformersArchivesTests.)
/// </summary>
public class TorchComplexArchiveTests
{
    private const string Script = """
        import sys
        import torch

        class Rotary(torch.nn.Module):
            def forward(self, x, angles):
                turns = torch.polar(torch.ones_like(angles), angles)
                pairs = torch.view_as_complex(x.float().reshape(*x.shape[:-1], -1, 2))
                return torch.view_as_real(pairs * turns.unsqueeze(0) * 2.0).flatten(-2)

        class Exponential(torch.nn.Module):
            def forward(self, x):
                return torch.view_as_real(torch.view_as_complex(x).exp())

        class ComplexResult(torch.nn.Module):
            def forward(self, x):
                return torch.view_as_complex(x) * 2.0

        class FreqsCisBuffer(torch.nn.Module):
            def __init__(self):
                super().__init__()
                angles = torch.outer(torch.arange(6.0), 1.0 / (10000 ** (torch.arange(0, 8, 2).float() / 8)))
                self.register_buffer("freqs_cis", torch.polar(torch.ones_like(angles), angles))
            def forward(self, x):
                pairs = torch.view_as_complex(x.reshape(*x.shape[:-1], -1, 2))
                return torch.view_as_real(pairs * self.freqs_cis[: x.shape[1]]).flatten(-2)

        class Spectrogram(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.register_buffer("window", torch.hann_window(64))
            def forward(self, audio):
                spec = torch.stft(audio, 64, 16, window=self.window, return_complex=True)
                bands = torch.fft.irfft(torch.fft.rfft(audio, n=128) * 0.5, n=128)
                return spec.abs() ** 2, bands

        class WideRotary(torch.nn.Module):
            def forward(self, x, angles):
                turns = torch.polar(torch.ones_like(angles), angles)
                return torch.view_as_real(torch.view_as_complex(x.reshape(*x.shape[:-1], -1, 2)) * turns).flatten(-2)

        x, angles = torch.randn(2, 5, 8), torch.rand(5, 4) * 6.0
        pairs, q, audio = torch.randn(3, 2), torch.randn(2, 6, 8), torch.randn(2, 400)
        torch.export.save(torch.export.export(Rotary(), (x, angles)), sys.argv[1] + "/rotary.pt2")
        torch.export.save(torch.export.export(Exponential(), (pairs,)), sys.argv[1] + "/exponential.pt2")
        torch.export.save(torch.export.export(ComplexResult(), (pairs,)), sys.argv[1] + "/complex_result.pt2")
        torch.export.save(torch.export.export(FreqsCisBuffer(), (q,)), sys.argv[1] + "/freqs_cis.pt2")
        torch.export.save(torch.export.export(Spectrogram(), (audio,)), sys.argv[1] + "/spectrogram.pt2")
        torch.export.save(torch.export.export(WideRotary(), (x.double(), angles.double())), sys.argv[1] + "/wide.pt2")
        def write(name, tensors):
            with open(sys.argv[1] + "/" + name + ".txt", "w") as f:
                for t in tensors:
                    if t.is_complex(): t = torch.view_as_real(t)
                    f.write(" ".join(repr(v) for v in t.flatten().tolist()) + "\n")
        write("rotary", (x, angles, Rotary()(x, angles)))
        write("exponential", (pairs, Exponential()(pairs), ComplexResult()(pairs)))
        write("freqs_cis", (q, FreqsCisBuffer()(q)))
        write("spectrogram", (audio, *Spectrogram()(audio)))
        write("wide", (WideRotary()(x.double(), angles.double()),))
        """;

    private static void Close(Tensor expected, Tensor actual, double tolerance = 1e-4)
    {
        var got = actual.IsComplex() ? Torch.ViewAsReal(actual) : actual;
        Assert.Equal(expected.Numel().AsConstant, got.Numel().AsConstant);
        var flat = got.Reshape(-1).To(DType.Float64);
        double scale = Math.Max(1, expected.Abs().Max().Item());
        Assert.True((flat - expected.To(DType.Float64)).Abs().Max().Item() <= tolerance * scale);
    }

    [Fact]
    public void A_complex_rotary_embedding_loads_as_real_pairs_with_torchs_values()
    {
        TorchScriptFolder.Run(Script, folder =>
        {
            var program = ExportedProgram.Load(Path.Combine(folder, "rotary.pt2"));
            Assert.DoesNotContain(program.Graph.Nodes, n => n.Target is Graphs.ComplexTarget || n.Value is TensorMeta { DType: var d } && d.IsComplex());
            program.Verify();
            var lines = TorchScriptFolder.Values(Path.Combine(folder, "rotary.txt"));
            var (x, angles) = (Tensor.FromArray(lines[0], 2, 5, 8), Tensor.FromArray(lines[1], 5, 4));
            var expected = Tensor.FromArray(lines[2], 2, 5, 8);
            Assert.True(program.Module().Call(x, angles).AllClose(expected, 1e-5, 1e-5));
            var core = program.RunDecompositions();
            core.Verify(requireCore: true);
            Assert.True(core.Module().Call(x, angles).AllClose(expected, 1e-5, 1e-5));
            // Each pair turned by its angle and doubled: (a cos θ - b sin θ, a sin θ + b cos θ) · 2.
            var (xs, th, ys) = (x.ToArray<float>(), angles.ToArray<float>(), program.Module().Call(x, angles).ToArray<float>());
            for (int p = 0; p < 5; p++)
                for (int k = 0; k < 4; k++)
                {
                    int at = (5 + p) * 8 + 2 * k;
                    double a = xs[at], b = xs[at + 1], t = th[p * 4 + k];
                    Assert.Equal(2 * (a * Math.Cos(t) - b * Math.Sin(t)), ys[at], 1e-4);
                    Assert.Equal(2 * (a * Math.Sin(t) + b * Math.Cos(t)), ys[at + 1], 1e-4);
                }
        });
    }

    [Fact]
    public void Complex_ops_outputs_weights_and_ffts_load_as_complex_tensors_with_torchs_values()
    {
        TorchScriptFolder.Run(Script, folder =>
        {
            var values = TorchScriptFolder.Values(Path.Combine(folder, "exponential.txt"));
            var pairs = Tensor.FromArray(values[0], 3, 2);
            var exponential = ExportedProgram.Load(Path.Combine(folder, "exponential.pt2"));
            Assert.Contains("torch.ops.aten.exp.default", exponential.ToString(), StringComparison.Ordinal);
            exponential.Verify();
            Close(Tensor.FromArray(values[1], values[1].Length), exponential.Module().Call(pairs));

            var complexResult = ExportedProgram.Load(Path.Combine(folder, "complex_result.pt2")).Module().Call(pairs);
            Assert.Equal(DType.Complex64, complexResult.DType);
            Close(Tensor.FromArray(values[2], values[2].Length), complexResult);

            values = TorchScriptFolder.Values(Path.Combine(folder, "freqs_cis.txt"));
            var rotary = ExportedProgram.Load(Path.Combine(folder, "freqs_cis.pt2"));
            Assert.Equal(DType.Complex64, rotary.StateDict.Values.Concat(rotary.Constants.Values).Single(t => t.IsComplex()).DType);
            Close(Tensor.FromArray(values[1], values[1].Length), rotary.Module().Call(Tensor.FromArray(values[0], 2, 6, 8)));

            values = TorchScriptFolder.Values(Path.Combine(folder, "spectrogram.txt"));
            var spectrogram = ExportedProgram.Load(Path.Combine(folder, "spectrogram.pt2"));
            // stft's complex result has no real-pair form: the graph holds it as complex64 and verifies.
            Assert.Contains("c64[2, 33, 26]", spectrogram.ToString(), StringComparison.Ordinal);
            spectrogram.Verify();
            var (power, bands) = ((Tensor, Tensor))spectrogram.Module().Invoke(Tensor.FromArray(values[0], 2, 400))!;
            Close(Tensor.FromArray(values[1], values[1].Length), power);
            Close(Tensor.FromArray(values[2], values[2].Length), bands);
            // complex128 has no real-pair form here: the program is read with its complex128 values.
            var wide = ExportedProgram.Load(Path.Combine(folder, "wide.pt2"));
            var rotaryValues = TorchScriptFolder.Values(Path.Combine(folder, "rotary.txt"));
            var wideResult = wide.Module().Call(Tensor.FromArray(rotaryValues[0], 2, 5, 8).To(DType.Float64), Tensor.FromArray(rotaryValues[1], 5, 4).To(DType.Float64));
            Assert.Equal(DType.Float64, wideResult.DType);
            Close(Tensor.FromArray(TorchScriptFolder.Values(Path.Combine(folder, "wide.txt"))[0], 80), wideResult, 1e-6);

            var core = spectrogram.RunDecompositions();
            Assert.Contains("torch.ops.aten._fft_r2c.default", core.ToString(), StringComparison.Ordinal);
            core.Verify(requireCore: true);
        });
    }
}
