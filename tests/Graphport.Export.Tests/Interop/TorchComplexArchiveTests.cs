namespace Graphport.Tests.Interop;

/// <summary>
/// Complex numbers in a torch program (Llama 4's rotary embedding: torch.polar, view_as_complex, a complex product,
/// view_as_real): Graphport has no complex dtype, so loading rewrites complex values as float32 (real, imaginary)
/// pairs; the program then holds no complex op, runs with torch's values, and decomposes. A complex op outside that
/// set, and a complex input or result, are refused at load, naming the fix. (A whole Llama 4:
/// Interop/TransformersArchivesTests.)
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

        x, angles = torch.randn(2, 5, 8), torch.rand(5, 4) * 6.0
        torch.export.save(torch.export.export(Rotary(), (x, angles)), sys.argv[1] + "/rotary.pt2")
        torch.export.save(torch.export.export(Exponential(), (torch.randn(3, 2),)), sys.argv[1] + "/exponential.pt2")
        torch.export.save(torch.export.export(ComplexResult(), (torch.randn(3, 2),)), sys.argv[1] + "/complex_result.pt2")
        with open(sys.argv[1] + "/rotary.txt", "w") as f:
            for t in (x, angles, Rotary()(x, angles)):
                f.write(" ".join(repr(v) for v in t.flatten().tolist()) + "\n")
        """;

    [Fact]
    public void A_complex_rotary_embedding_loads_as_real_pairs_with_torchs_values_and_other_complex_ops_are_refused()
    {
        TorchScriptFolder.Run(Script, folder =>
        {
            var program = ExportedProgram.Load(Path.Combine(folder, "rotary.pt2"));
            Assert.DoesNotContain(program.Graph.Nodes, n => n.Target is Graphs.ComplexTarget);
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

            var refused = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(Path.Combine(folder, "exponential.pt2")));
            Assert.Contains("aten::exp on a complex tensor", refused.Message);
            Assert.Contains("Graphport has no complex dtype", refused.Message);
            // A complex result would reach the caller as something else: refused, naming the fix.
            var result = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(Path.Combine(folder, "complex_result.pt2")));
            Assert.Contains("the dtype COMPLEXFLOAT is not supported by Graphport for the program's output", result.Message);
            Assert.Contains("torch.view_as_real", result.Message);
        });
    }
}
