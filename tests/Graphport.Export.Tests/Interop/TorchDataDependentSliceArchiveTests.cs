namespace Graphport.Tests.Interop;

/// <summary>
/// torch's ExportDB assume_constant_result as torch 2.14 saves it: <c>x[: y.int().item()]</c> with x: f32[3, 2], where
/// the slice's end u0 has no known sign, so torch gives the slice a fresh size u1 in [0, 3] and asserts
/// <c>u1 &gt;= 0</c> and <c>u1 &lt;= 3</c> after it. Re-running the slice's meta on that program (Verify, and the re-trace of
/// RunDecompositions) must reach the same answer instead of guarding on <c>u0 &lt; 0</c>.
/// </summary>
public class TorchDataDependentSliceArchiveTests
{
    [Fact]
    public void Torchs_assume_constant_result_archive_verifies_and_decomposes_with_a_fresh_slice_size()
    {
        string python = TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-torch-slice-").FullName;
        try
        {
            string script = Path.Combine(TorchPython.RepositoryRoot(), "tests", "fixtures", "pt2", "export_torch_exportdb.py");
            var (exit, printed) = TorchPython.Run(python, TimeSpan.FromMinutes(2), script, "--out", folder, "--only", "assume_constant_result");
            string archive = Path.Combine(folder, "assume_constant_result.pt2");
            Assert.True(exit == 0 && File.Exists(archive), $"export_torch_exportdb.py failed ({exit}):\n{printed}");

            var ep = ExportedProgram.Load(archive);
            var slice = ep.Graph.Nodes.Single(n => n.Op?.Target == "aten.slice.Tensor");
            Assert.Equal("f32[u1, 2]", slice.TensorValue.Describe());
            Assert.Equal("{u0: [-oo, oo], u1: [0, 3]}", ep.RangeConstraints.ToString());
            var symbols = ep.ShapeEnv.Symbols.Select(s => s.Atom.Name).ToList();

            ep.Verify();
            Assert.Equal(symbols, ep.ShapeEnv.Symbols.Select(s => s.Atom.Name).ToList());

            var core = ep.RunDecompositions();
            var coreSlice = core.Graph.Nodes.Single(n => n.Op?.Target == "aten.slice.Tensor");
            string size = coreSlice.TensorValue.Shape[0].ToString();
            Assert.Matches("^u[0-9]+$", size);
            Assert.Equal(new Shapes.ValueRange(0, 3), core.RangeConstraints[size]);
            // torch's own assertions are replayed, not doubled by the re-traced slice's.
            Assert.Equal(2, core.Graph.Nodes.Count(n => n.Op?.Target == "aten._assert_scalar.default"));
            core.Verify(requireCore: true);

            Assert.Equal(2, Pt2Fixture.Run(ep, archive));
            Assert.Equal(2, Pt2Fixture.Run(core, archive));
            var x = Torch.Randn(3, 2);
            foreach (long end in new long[] { -4, -1, 0, 2, 7 })
            {
                var y = Torch.Tensor(new long[] { end }).Reshape();
                Assert.True(core.Module().Call(x, y).AllClose(x[TensorIndex.Slice(stop: end)], 0, 0), $"end {end}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
