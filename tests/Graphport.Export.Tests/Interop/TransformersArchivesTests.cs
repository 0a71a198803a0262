namespace Graphport.Tests.Interop;

/// <summary>
/// Hugging Face transformers models (BERT, RoBERTa, DistilBERT, GPT-2, Llama, Qwen2, Mistral, ViT, T5's encoder,
/// Whisper's encoder) at small configurations with random weights, exported by the installed torch, fresh on every run:
/// tests/fixtures/pt2/export_transformers.py saves each with torch.export.save and records ep.module()'s outputs on
/// padded batches; every archive must load here, give the same outputs, and give them again decomposed to core ops.
/// </summary>
public class TransformersArchivesTests
{
    [Fact]
    public void Transformers_models_exported_by_torch_load_and_run_here_with_torchs_outputs()
    {
        TorchMadeArchives.WriteAndCheck("export_transformers.py", ["--out", "{dir}"], atLeast: 10, archive =>
        {
            var program = ExportedProgram.Load(archive);
            Pt2Fixture.Run(program, archive);
            Pt2Fixture.Run(program.RunDecompositions(), archive);
        });
    }
}
