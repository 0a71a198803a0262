namespace Graphport.Tests.Interop;

/// <summary>
/// torch.vmap's calls in a training-IR archive (torch's associative_scan in its generic mode vmaps the combine function,
/// as Mamba's CPU path runs it): loading rewrites each vmap region into plain ops, so the program holds no vmap call,
/// runs with torch's outputs, and decomposes; a region around an op other than a pointwise one is refused at load,
/// naming the op and what to save instead. (Outputs of more scans: Interop/TorchFunctionArchivesTests,
/// associative_scan; a whole Mamba: Interop/TransformersArchivesTests.)
/// </summary>
public class TorchVmapArchiveTests
{
    private const string Script = """
        import sys
        import torch
        from torch._higher_order_ops.associative_scan import associative_scan

        class Recurrence(torch.nn.Module):
            def forward(self, a, b):
                return associative_scan(lambda x, y: (x[0] * y[0], y[0] * x[1] + y[1]), (a, b), dim=1, combine_mode="generic")[1]

        class MatrixProducts(torch.nn.Module):
            def forward(self, m):
                return associative_scan(lambda x, y: x @ y, m, dim=0, combine_mode="generic")

        a, b = torch.rand(2, 6, 3), torch.randn(2, 6, 3)
        torch.export.save(torch.export.export(Recurrence(), (a, b)), sys.argv[1] + "/recurrence.pt2")
        torch.export.save(torch.export.export(MatrixProducts(), (torch.randn(4, 3, 3),)), sys.argv[1] + "/products.pt2")
        # The expected values as text, for the test to read without torch's pickle format.
        with open(sys.argv[1] + "/recurrence.txt", "w") as f:
            for t in (a, b, Recurrence()(a, b)):
                f.write(" ".join(repr(v) for v in t.flatten().tolist()) + "\n")
        """;

    [Fact]
    public void A_vmapped_scan_loads_as_plain_ops_with_torchs_values_and_other_vmapped_ops_are_refused_by_name()
    {
        TorchScriptFolder.Run(Script, folder =>
        {
            var program = ExportedProgram.Load(Path.Combine(folder, "recurrence.pt2"));
            Assert.DoesNotContain(program.Graph.Nodes, n => n.Target is Graphs.VmapTarget);
            program.Verify();
            var lines = TorchScriptFolder.Values(Path.Combine(folder, "recurrence.txt"));
            var (a, b) = (Tensor.FromArray(lines[0], 2, 6, 3), Tensor.FromArray(lines[1], 2, 6, 3));
            var expected = Tensor.FromArray(lines[2], 2, 6, 3);
            Assert.True(program.Module().Call(a, b).AllClose(expected, 1e-5, 1e-6));
            var core = program.RunDecompositions();
            core.Verify(requireCore: true);
            Assert.True(core.Module().Call(a, b).AllClose(expected, 1e-5, 1e-6));
            // The same recurrence computed step by step: h_t = a_t * h_(t-1) + b_t from h_0 = b_0.
            var (av, bv, h) = (a.ToArray<float>(), b.ToArray<float>(), program.Module().Call(a, b).ToArray<float>());
            for (int i = 0; i < 2; i++)
                for (int k = 0; k < 3; k++)
                {
                    float state = 0;
                    for (int t = 0; t < 6; t++)
                    {
                        int at = (i * 6 + t) * 3 + k;
                        state = t == 0 ? bv[at] : av[at] * state + bv[at];
                        Assert.Equal(state, h[at], 1e-4);
                    }
                }

            var refused = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(Path.Combine(folder, "products.pt2")));
            Assert.Contains("aten::matmul", refused.Message);
            Assert.Contains("Graphport lowers vmap over pointwise ops only", refused.Message);
            Assert.Contains("ep.run_decompositions()", refused.Message);
        });
    }
}
