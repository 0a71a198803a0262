namespace Graphport.Tests.Interop;

/// <summary>
/// PyTorch's archives, made fresh by the installed torch on every run (the committed ones in tests/fixtures/pt2/torch
/// pin one torch version; this follows the one tools/torch installs): make_fixtures.py exports ten modules with
/// torch.export.export - Linear+ReLU, the tutorial's module, a conv net with BatchNorm buffers and a dynamic batch, a
/// buffer mutated in place, derived dims, attention over a dynamic sequence, torch.cond, nested outputs with integer
/// and bool leaves, constants and a symbolic size among the results - saves them with torch.export.save, and records
/// ep.module()'s outputs; each must load here and give the same outputs.
/// </summary>
public class TorchMadeArchivesTests
{
    [Fact]
    public void Archives_torch_export_saves_load_and_run_here_with_torchs_outputs()
    {
        TorchMadeArchives.WriteAndCheck("make_fixtures.py", ["--torch-dir", "{dir}", "--skip-graphport-check"], atLeast: 10, archive => Pt2Fixture.Check(archive));
    }
}
