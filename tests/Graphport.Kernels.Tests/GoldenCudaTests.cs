using Graphport.Kernels.Conformance;

namespace Graphport.Kernels.Tests;

/// <summary>
/// The generated CUDA C of a few fusion patterns, compared with Golden/*.cu. After an intended change to code
/// generation, regenerate with GRAPHPORT_UPDATE_GOLDEN=1 dotnet test --filter GoldenCudaTests and review the diff.
/// </summary>
public class GoldenCudaTests
{
    public static TheoryData<string, string> Patterns => new()
    {
        { "pointwise_chain", "pointwise_chain" },
        { "add_broadcast", "add_broadcast" },
        { "mean_keepdim_then_scale", "reduction_with_epilogue" },
        { "layer_norm_affine", "layer_norm_with_prologue" },
        { "batch_norm_eval_relu", "batch_norm_relu" },
        { "conv2d_depthwise", "depthwise_conv" },
        { "cat_dim1", "concatenation" },
        { "int_mm_of_quantized_activations", "integer_matmul_with_prologue" },
        { "grouped_mm_experts", "grouped_matmul_with_prologue" },
        { "expert_loop_split_by_counts", "grouped_matmul_checking_split_counts" },
        { "sort_rows_ties_and_nan", "sort_rows" },
        { "scatters_and_accumulating_index_put", "scatter_add" },
        { "topk_of_a_vocabulary_and_other_dims", "sort_merge_passes" },
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Generated_cuda_matches_the_golden_file(string opCase, string golden)
    {
        var op = OpCases.Get(opCase);
        Torch.ManualSeed(1);
        var inputs = op.Inputs();
        var source = CudaCompiler.EmitSource(op.Export(inputs), inputs.Select(t => t.Shape.ToLongs()).ToList());
        // The embedded library is included, not pasted, so the golden files only hold what codegen wrote.
        var path = Path.Combine(SourceFolder(), "Golden", golden + ".cu");
        if (Environment.GetEnvironmentVariable("GRAPHPORT_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, source);
            return;
        }
        Assert.True(File.Exists(path), $"No golden file {path}; run with GRAPHPORT_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), source.ReplaceLineEndings("\n"));
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
