using Graphport.Onnx;
using Xunit.Abstractions;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// Silero VAD, the voice activity detector most speech pipelines run before recognition, as ONNX Runtime Web ships it
/// (npm @ricky0123/vad-web). Both models are recurrent (LSTMs) and pick a branch by sample rate with If; the rate is
/// fixed at import (<see cref="OnnxImportOptions.InputValues"/>), as the apps that use them fix it. Each test streams
/// several chunks of a synthetic voiced signal, feeding every implementation its own recurrent state back, and
/// compares the speech probability and the state with ONNX Runtime after every chunk.
/// </summary>
public sealed class SileroVadTests(ITestOutputHelper log)
{
    private const int Chunks = 4;

    [Fact]
    public void Imported_silero_vad_v5_streams_chunks_like_onnx_runtime()
    {
        // v5 takes 512 new samples at 16 kHz after the previous chunk's last 64 (its context), and one state tensor.
        const int Samples = 576;
        string path = RealModelFiles.SileroVadV5;
        var options = new OnnxImportOptions { StaticShapes = true, DimSizes = { ["input:0"] = 1, ["input:1"] = Samples, ["state:1"] = 1 }, InputValues = { ["sr"] = [16000] } };
        var program = ImportedRealModel.Timed(log, "import", () => OnnxImporter.Import(path, options));
        Assert.Equal(["input", "state"], program.GraphSignature.UserInputs);

        var model = File.ReadAllBytes(path);
        var random = new Random(16000);
        var module = program.Module().Freeze();
        var ortState = new ModelInput("state", new float[2 * 128], [2, 1, 128]);
        var ourState = ortState;
        var sampleRate = ModelInput.Longs("sr", [16000L]);
        for (int chunk = 0; chunk < Chunks; chunk++)
        {
            var audio = SeededInputs.Audio("input", random, chunk * 512L, Samples);
            var expected = OrtReference.Run(model, [audio, ortState, sampleRate]);
            var ours = module.Invoke(audio.ToTensor(), ourState.ToTensor());
            log.WriteLine(PeakRelativeMatch.Assert($"Silero VAD v5, chunk {chunk}", expected, ours));
            ortState = Carried(expected[1], "state");
            ourState = new ModelInput("state", ProgramOutputs.InOrder(ours, ["output", "stateN"])[1].ToArray<float>(), [2, 1, 128]);
        }
    }

    [Fact]
    public void Imported_silero_vad_legacy_streams_chunks_like_onnx_runtime()
    {
        // The earlier model takes 512 samples at 16 kHz and separate LSTM states h and c.
        const int Samples = 512;
        string path = RealModelFiles.SileroVadLegacy;
        var options = new OnnxImportOptions { StaticShapes = true, DimSizes = { ["batch"] = 1, ["sequence"] = Samples }, InputValues = { ["sr"] = [16000] } };
        Assert.Equal(["batch", "sequence"], ImportedRealModel.SymbolicDims(path, "input"));
        var program = ImportedRealModel.Timed(log, "import", () => OnnxImporter.Import(path, options));

        var model = File.ReadAllBytes(path);
        var random = new Random(8000);
        var module = program.Module().Freeze();
        var zeros = new ModelInput("h", new float[2 * 64], [2, 1, 64]);
        ModelInput ortH = zeros, ortC = zeros with { Name = "c" }, ourH = ortH, ourC = ortC;
        var sampleRate = ModelInput.Longs("sr", [16000L]);
        for (int chunk = 0; chunk < Chunks; chunk++)
        {
            var audio = SeededInputs.Audio("input", random, chunk * (long)Samples, Samples);
            var expected = OrtReference.Run(model, [audio, sampleRate, ortH, ortC]);
            var ours = module.Invoke(audio.ToTensor(), ourH.ToTensor(), ourC.ToTensor());
            log.WriteLine(PeakRelativeMatch.Assert($"Silero VAD legacy, chunk {chunk}", expected, ours));
            (ortH, ortC) = (Carried(expected[1], "h"), Carried(expected[2], "c"));
            var outputs = ProgramOutputs.InOrder(ours, ["output", "hn", "cn"]);
            (ourH, ourC) = (new ModelInput("h", outputs[1].ToArray<float>(), [2, 1, 64]), new ModelInput("c", outputs[2].ToArray<float>(), [2, 1, 64]));
        }
    }

    [Fact]
    public void Without_the_sample_rate_fixed_the_import_says_how_to_fix_it()
    {
        // sr as an input makes the If a torch.cond that traces both branches, and the 8 kHz one cannot take 576 samples.
        var options = new OnnxImportOptions { StaticShapes = true, DimSizes = { ["input:0"] = 1, ["input:1"] = 576, ["state:1"] = 1 } };
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(RealModelFiles.SileroVadV5, options));
        Assert.Contains("'If_0' (If) has a condition computed from tensor data", error.Message);
        Assert.Contains("--input-value sr=V", error.Message);
    }

    private static ModelInput Carried(OrtOutput output, string name) => new(name, (float[])output.Data.Clone(), output.Shape);
}
