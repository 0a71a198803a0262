namespace Graphport.Tests.Interop;

/// <summary>
/// torchvision's classifiers (ResNet-18, MobileNetV3-Small, EfficientNet-B0, ShuffleNetV2, SqueezeNet, RegNetX,
/// ConvNeXt-Tiny, Swin-T) with random weights, exported by the installed torch, fresh on every run:
/// tests/fixtures/pt2/export_torchvision.py saves each with torch.export.save and records ep.module()'s outputs; every
/// archive must load here, give the same outputs, and give them again from the frozen module executors run.
/// </summary>
public class TorchvisionArchivesTests
{
    [Fact]
    public void Torchvision_classifiers_exported_by_torch_load_and_run_here_with_torchs_outputs()
    {
        TorchMadeArchives.WriteAndCheck("export_torchvision.py", ["--out", "{dir}"], atLeast: 8, archive =>
        {
            var program = ExportedProgram.Load(archive);
            Pt2Fixture.Run(program, archive);
            Pt2Fixture.Run(program.RunDecompositions(), archive);
        });
    }
}
