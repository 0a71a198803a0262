namespace Graphport.Tests.Interop;

/// <summary>
/// Common torch.nn modules and functions exported by the installed torch, fresh on every run:
/// tests/fixtures/pt2/export_torch_nn.py exports transformer and attention layers, LSTM/GRU, normalizations,
/// convolutions, pixel (un)shuffle, upsampling (bilinear, nearest, bicubic), pooling (adaptive max 1-D/2-D included),
/// EmbeddingBag in its modes, roll, paddings and vector norms, saves each with torch.export.save and records
/// ep.module()'s outputs; every archive must load here and give the same outputs.
/// </summary>
public class TorchNnArchivesTests
{
    [Fact]
    public void Torch_nn_modules_exported_by_torch_load_and_run_here_with_torchs_outputs()
    {
        TorchMadeArchives.WriteAndCheck("export_torch_nn.py", ["--out", "{dir}"], atLeast: 27, archive => Pt2Fixture.Check(archive));
    }
}
