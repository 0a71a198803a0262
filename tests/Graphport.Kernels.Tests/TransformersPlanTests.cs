using Graphport.Kernels.Planning;
using Graphport.Kernels.Twin;
using Graphport.Tests.Interop;

namespace Graphport.Kernels.Tests;

/// <summary>
/// Transformers models exported by torch (tests/fixtures/pt2/export_transformers.py: rotary embeddings under no_grad,
/// torch's metadata checks, position ids by cumsum, a left-padded causal batch, pooling by argmax, a dynamic sequence;
/// mixtures of experts routing by topk and sort, counting tokens per expert by scatter_add and multiplying them by
/// grouped products, or (Granite-MoE) splitting them by counts read from the data, one product per expert; Mamba's split projections and vmapped scan; GPT-J's repeated rotary tables) plan for CUDA with
/// every op on the device, and the fused program run through the CPU twin gives the interpreter's outputs on the
/// archive's own token ids.
/// </summary>
public class TransformersPlanTests
{
    private static readonly string[] Models = ["llama", "gpt2_left_padded", "roberta", "clip_text", "bert_dynamic", "mixtral", "qwen2_moe", "granitemoe", "mamba", "gptj"];

    [Fact]
    public void Transformers_archives_plan_with_every_op_on_the_device_and_the_twin_gives_the_interpreters_outputs() => WithArchives(Models, folder =>
    {
        var failures = new List<string>();
        foreach (var name in Models)
        {
            try
            {
                var core = ExportedProgram.Load(Path.Combine(folder, name + ".pt2")).RunDecompositions();
                // Token ids in the vocabulary and a mask of ones with the second row's first three masked out; the
                // dynamic program at another batch and length than its example's (2 x 11).
                var inputs = UserInputs(core, name.EndsWith("_dynamic", StringComparison.Ordinal) ? [3, 7] : null);
                var plan = CudaCompiler.Plan(core, inputs.Select(t => t.Shape.ToLongs()).ToList());
                if (plan.HostOps.Count > 0) failures.Add($"{name}: on the host: {string.Join(", ", plan.HostOps)}");
                if (name is "mixtral" or "qwen2_moe" or "granitemoe" && !(plan.Steps.Any(s => s is GroupedMatmulKernel) && plan.Steps.Any(s => s is SortRowsKernel)))
                    failures.Add($"{name}: the experts' grouped products or the routing's sorts are not device kernels");
                var expected = ((Tensor)core.Module().Call(inputs.Cast<object?>().ToArray())).To(DType.Float64);
                var actual = ((Tensor)CpuTwin.Run(plan, inputs).Single()!).To(DType.Float64);
                double scale = Math.Max(expected.Abs().Max().Item(), 1), worst = (actual - expected).Abs().Max().Item() / scale;
                if (!(worst <= 1e-4)) failures.Add($"{name}: the twin differs from the interpreter by {worst:G3} of the output's scale");
            }
            catch (Exception e)
            {
                failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    });

    [Fact]
    public void A_llama_generating_with_a_static_cache_keeps_the_cache_on_the_device_from_token_to_token() => WithArchives(["llama_static_cache"], folder =>
    {
        // Three decoding steps through the twin (whose memory, like a device bucket, keeps the weights and what the
        // program wrote into its buffers) against three through the interpreter: each attends to the earlier keys.
        var program = ExportedProgram.Load(Path.Combine(folder, "llama_static_cache.pt2"));
        var twinBackend = new Backends.CpuTwinBackend();
        using var twin = twinBackend.Compile(program);
        using var reference = new Backends.CpuBackend().Compile(program);
        foreach (var (token, position) in new[] { (5L, 0L), (7L, 1L), (11L, 2L) })
        {
            Tensor[] inputs = [Tensor.FromArray(new[] { token }, 1, 1), Tensor.FromArray(new[] { position }, 1)];
            var expected = ((Tensor)reference.Run(inputs)[0]!).To(DType.Float64);
            var actual = ((Tensor)twin.Run(inputs)[0]!).To(DType.Float64);
            double worst = (actual - expected).Abs().Max().Item() / Math.Max(expected.Abs().Max().Item(), 1);
            Assert.True(worst <= 1e-5, $"token at position {position}: the twin differs from the interpreter by {worst:G3}");
        }
        Assert.Empty(twinBackend.Plans.Single().HostOps);
    });

    // Runs export_transformers.py for these models into a fresh folder, hands the folder on, and deletes it.
    private static void WithArchives(string[] models, Action<string> check)
    {
        string python = TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-transformers-plans-").FullName;
        try
        {
            string script = Path.Combine(TorchPython.RepositoryRoot(), "tests", "fixtures", "pt2", "export_transformers.py");
            var (exit, output) = TorchPython.Run(python, TimeSpan.FromMinutes(4), [script, "--out", folder, "--only", .. models]);
            Assert.True(exit == 0, $"export_transformers.py failed ({exit}):\n{output}");
            check(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<Tensor> UserInputs(ExportedProgram core, long[]? sizes)
    {
        Torch.ManualSeed(31);
        return core.Graph.Placeholders.Skip(core.GraphSignature.InputSpecs.Count(s => s.Kind != InputKind.UserInput))
            .Select((node, i) =>
            {
                // Hint, not a cast: casting a symbolic size would specialize the program to its example.
                var shape = sizes ?? ((TensorMeta)node.Value!).Shape.Select(s => s.Hint).ToArray();
                if (i == 0) return Torch.Randint(0, 97, shape);
                var mask = Torch.Ones(shape, DType.Int64);
                for (long t = 0; t < 3; t++) mask.Narrow(0, 1, 1).Narrow(1, t, 1).Fill_(0L);
                return mask;
            }).ToList();
    }
}
