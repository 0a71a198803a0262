namespace Graphport.Tests.Interop;

/// <summary>
/// Quantized programs as PT2E quantization leaves them (torch.ops.quantized_decomposed around float ops: static and
/// dynamic per-tensor activations, per-channel, per-group and fake-quantized weights, per-token activations, a
/// quantized convolution), exported by the installed torch, fresh on every run: tests/fixtures/pt2/export_torch_quantized.py.
/// Every archive must load here and give torch's outputs (the integer outputs exactly), again frozen as executors run
/// it, and again decomposed to the Core ATen opset, where the quantized_decomposed ops stay single nodes as in torch.
/// </summary>
public class TorchQuantizedArchivesTests
{
    [Fact]
    public void Quantized_programs_exported_by_torch_load_and_run_here_with_torchs_outputs()
    {
        TorchMadeArchives.WriteAndCheck("export_torch_quantized.py", ["--out", "{dir}"], atLeast: 6, archive =>
        {
            var program = ExportedProgram.Load(archive);
            Pt2Fixture.Run(program, archive);
            Pt2Fixture.Run(program.Module().Freeze(), archive);
            var core = program.RunDecompositions();
            static string[] Quantized(ExportedProgram p) => [.. p.Graph.Nodes.Select(n => n.Op).OfType<Graphport.Operators.OpOverload>()
                .Where(op => op.Namespace == "quantized_decomposed").Select(op => op.Target).Order(StringComparer.Ordinal)];
            Assert.NotEmpty(Quantized(program));
            Assert.Equal(Quantized(program), Quantized(core));
            Pt2Fixture.Run(core, archive);
            Pt2Fixture.Run(core.Module().Freeze(), archive);
        });
    }
}
