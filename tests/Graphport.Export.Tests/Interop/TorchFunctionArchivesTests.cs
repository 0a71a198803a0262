namespace Graphport.Tests.Interop;

/// <summary>
/// Tensor functions whose ops torch's export keeps as single nodes (einsum, cosine_similarity, new_zeros,
/// repeat_interleave, baddbmm, lerp, glu, var_mean, tensor_split, ...), exported by the installed torch, fresh on every
/// run: tests/fixtures/pt2/export_torch_functions.py saves each with torch.export.save and records ep.module()'s
/// outputs; every archive must load here and give the same outputs, and again once decomposed to the Core ATen opset
/// (the form the CUDA backend plans), which must hold core ops only, and the ops torch keeps too (assertions, the
/// special functions, order statistics and matrix factorizations torch has no decomposition for).
/// </summary>
public class TorchFunctionArchivesTests
{
    [Fact]
    public void Functions_whose_composite_ops_torch_keeps_load_and_run_here_with_torchs_outputs()
    {
        TorchMadeArchives.WriteAndCheck("export_torch_functions.py", ["--out", "{dir}"], atLeast: 36, archive =>
        {
            Pt2Fixture.Check(archive);
            var core = ExportedProgram.Load(archive).RunDecompositions();
            var notCore = core.Graph.Nodes.Select(n => n.Op).OfType<Graphport.Operators.OpOverload>().Where(op => op.Namespace == "aten" && !op.IsCore && !op.StaysThroughDecomposition).Select(op => op.Name).Distinct().ToList();
            Assert.True(notCore.Count == 0, $"{Path.GetFileName(archive)} decomposed still calls {string.Join(", ", notCore)}");
            Pt2Fixture.Run(core, archive);
        });
    }
}
