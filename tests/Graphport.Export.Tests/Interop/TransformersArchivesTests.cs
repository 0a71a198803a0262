namespace Graphport.Tests.Interop;

/// <summary>
/// Hugging Face transformers models at small configurations with random weights, exported by the installed torch,
/// fresh on every run: 62 archives of encoders (BERT, RoBERTa, DeBERTa-v2, T5's, ModernBERT, ...), decoders (GPT-2,
/// Llama, Qwen2 and 3, Mistral, Gemma 1 to 3, Phi, Phi-3, GPT-NeoX, GPT-J, OPT, BLOOM, StableLM, Granite), mixtures of
/// experts (Mixtral, Qwen2-MoE, OLMoE, DeepSeek-V3 with latent attention, GraniteMoE splitting by data-dependent
/// counts, GPT-OSS, PhiMoE, ERNIE 4.5, Llama 4 with complex rotary embeddings), state-space and recurrent models
/// (Mamba, whose scan torch.vmap batches, Mamba-2, RWKV, LFM2), encoder-decoders (T5, BART, Marian), vision models
/// (ViT, DINOv2, CLIP, Swin, ConvNeXt, SegFormer, ResNet, MobileViT, YOLOS, EfficientNet, DETR) and speech encoders
/// (Whisper's, wav2vec2), three with a dynamic batch and sequence length, two on left-padded batches (the list and what
/// each exercises: tests/fixtures/pt2/export_transformers.py).
/// The script saves each with torch.export.save and records ep.module()'s outputs on padded batches; every archive
/// must load here, give the same outputs, give them frozen (the grouped-query decoders' attention then reads their
/// key/value heads unrepeated), and give them again decomposed to core ops, as written and frozen (a static cache's
/// update then written into the cache itself).
/// </summary>
public class TransformersArchivesTests
{
    [Fact]
    public void Transformers_models_exported_by_torch_load_and_run_here_with_torchs_outputs()
    {
        TorchMadeArchives.WriteAndCheck("export_transformers.py", ["--out", "{dir}"], atLeast: 62, archive =>
        {
            var program = ExportedProgram.Load(archive);
            Pt2Fixture.Run(program, archive);
            // Frozen as executors run it (grouped-query attention on unrepeated key/value heads, cache writes in place).
            var frozen = program.Module().Freeze();
            Pt2Fixture.Run(frozen, archive);
            var core = program.RunDecompositions();
            Pt2Fixture.Run(core, archive);
            Pt2Fixture.Run(core.Module().Freeze(), archive);
            if (Path.GetFileName(archive) is "mixtral.pt2" or "qwen2_moe.pt2" or "olmoe.pt2")
            {
                // Tokens per expert by histc, which decomposes; the experts' grouped product is transformers' custom op,
                // which stays one node in every dialect, as torch keeps it.
                static bool Calls(ExportedProgram p, string op) => p.Graph.Nodes.Any(n => n.Op?.Name == op);
                Assert.True(Calls(program, "aten::histc") && Calls(program, "transformers::grouped_mm_fallback"));
                Assert.False(Calls(core, "aten::histc"));
                Assert.True(Calls(core, "transformers::grouped_mm_fallback"));
                // Stored as a cluster stores it (a .pt2 of the decomposed program) and read back, the custom op included.
                using var stored = new MemoryStream();
                core.Save(stored);
                stored.Position = 0;
                Pt2Fixture.Run(ExportedProgram.Load(stored), archive);
            }
            if (Path.GetFileName(archive) is "llama.pt2" or "mistral.pt2" or "qwen2.pt2")
            {
                var inputs = Pt2Fixture.FirstCaseInputs(archive);
                Assert.Contains(frozen.Profile(inputs).Nodes, n => n.Frozen?.Contains("enable_gqa", StringComparison.Ordinal) == true);
                // Decomposed as grouped-query attention (what the CUDA backend plans): no copy of the repeated heads.
                var grouped = program.RunDecompositions(null, groupedQueryAttention: true);
                Pt2Fixture.Run(grouped, archive);
                static int Clones(ExportedProgram p) => p.Graph.Nodes.Count(n => n.Op?.Name == "aten::clone");
                Assert.True(Clones(grouped) < Clones(core), $"{Path.GetFileName(archive)}: {Clones(grouped)} clones decomposed as grouped-query attention, {Clones(core)} as torch decomposes it");
            }
        });
    }
}
