namespace Graphport.Cli.Tests;

/// <summary>graphport compile: the CUDA C and kernel plan the GPU backend generates, printed without a GPU.</summary>
public class CompileCommandTests
{
    [Fact]
    public void Emit_cuda_prints_the_plan_as_a_comment_then_fused_kernels_for_each_generated_step()
    {
        var run = CliRun.Of("compile", "zoo:bert_encoder", "--emit", "cuda");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("// FusedProgram (s0=2): ", run.Out);
        var header = run.Out.Split('\n')[0];
        int generated = int.Parse(header.Split(" generated kernels")[0].Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(generated > 0, header);
        Assert.Equal(generated, run.Out.Split("__global__").Length - 1);
        Assert.Contains("softmax", run.Out);
    }

    [Fact]
    public void Batch_binds_the_dynamic_dimension_in_the_plan()
    {
        var run = CliRun.Of("compile", "zoo:mlp", "--emit", "plan", "--batch", "8");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("(s0=8)", run.Out);
        Assert.Contains("addmm [8x784] @ [784x256] + bias, relu", run.Out);
    }

    [Fact]
    public void A_saved_pt2_program_compiles_at_its_exported_shapes()
    {
        string path = Path.Combine(Path.GetTempPath(), $"compile-{Guid.NewGuid():N}.pt2");
        try
        {
            Zoo.ModelZoo.Get("mlp").Export(exampleBatch: 3).Program.Save(path);
            var run = CliRun.Of("compile", path, "--emit", "plan");
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("addmm [3x784] @ [784x256] + bias, relu", run.Out);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_program_the_planner_cannot_take_says_why_and_that_a_gpu_silo_runs_it_on_the_cpu()
    {
        // A size read out of the data (a count of tokens per expert, say) sizes a new tensor: no static plan.
        Func<Tensor, Tensor> sized = x =>
        {
            var n = x.Item<SymInt>();
            Torch.CheckIsSize(n);
            Torch.Check(n <= 8);
            return Torch.Zeros([n, 4]);
        };
        string path = Path.Combine(Path.GetTempPath(), $"compile-{Guid.NewGuid():N}.pt2");
        try
        {
            Torch.Export(sized, [Torch.Tensor(new long[] { 3 })]).Save(path);
            var run = CliRun.Of("compile", path, "--emit", "plan");
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith($"graphport compile: no CUDA plan for {path}: ", run.Error);
            Assert.Contains("A GPU silo runs this program on its CPU backend instead.", run.Error);
            Assert.DoesNotContain("   at ", run.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("zoo:nope", "No zoo model named \"nope\"")]
    [InlineData("missing.pt2", "No file 'missing.pt2'")]
    public void An_unknown_program_is_a_usage_error_naming_it(string source, string message)
    {
        var run = CliRun.Of("compile", source);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public void A_file_that_is_not_a_program_fails_with_the_reason_and_no_stack_trace()
    {
        string path = Path.Combine(Path.GetTempPath(), $"compile-{Guid.NewGuid():N}.pt2");
        try
        {
            File.WriteAllText(path, "not a zip archive");
            var run = CliRun.Of("compile", path, "--emit", "plan");
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith($"Cannot load {path}: ", run.Error);
            Assert.DoesNotContain("   at ", run.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_unknown_emit_target_lists_the_valid_ones()
    {
        var run = CliRun.Of("compile", "zoo:mlp", "--emit", "ptx");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown --emit 'ptx': use cuda", run.Error);
    }

    [Fact]
    public void Check_runs_the_generated_cuda_c_on_the_cpu_and_reports_its_difference_from_the_interpreter()
    {
        var run = CliRun.Of("compile", "zoo:bert_encoder", "--emit", "plan", "--check");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("check: the generated CUDA C, compiled for the CPU", run.Out);
        Assert.Contains("matches the interpreter on random inputs: 1 output(s)", run.Out);
    }

    private sealed class TwoOutputs : Module<Tensor, (Tensor, Tensor)>
    {
        public override (Tensor, Tensor) Forward(Tensor x) => (x.RepeatInterleave(2, 1) * 3.0, Torch.Einsum("ij,kj->ik", x, x));
    }

    [Fact]
    public void Check_compares_each_output_of_a_program_that_returns_a_tuple()
    {
        // The interpreter gives a tuple for a tuple output; the check once compared none of its tensors and reported a mismatch.
        string path = Path.Combine(Path.GetTempPath(), $"compile-{Guid.NewGuid():N}.pt2");
        try
        {
            Torch.Export(new TwoOutputs(), [Torch.Randn(3, 4)]).Save(path);
            var run = CliRun.Of("compile", path, "--emit", "plan", "--check");
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("matches the interpreter on random inputs: 2 output(s)", run.Out);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Emit_resources_lists_each_kernels_registers_and_spills_or_says_how_to_install_nvrtc()
    {
        var run = CliRun.Of("compile", "zoo:unet", "--emit", "resources");

        // .ci/run installs NVRTC; a machine without it gets the way to install it instead of a crash.
        if (run.ExitCode != 0)
        {
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("tools/cuda/install-nvrtc.sh", run.Error);
            return;
        }
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("kernel", lines[0]);
        Assert.Contains("registers  spill bytes  step", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("k0_im2col ", StringComparison.Ordinal));
        Assert.Matches(@"^\d+ kernels compiled for sm_90 \(\d+ KiB CUBIN\)", lines[^1]);
    }

    [Fact]
    public void An_architecture_nvrtc_would_not_know_is_a_usage_error()
    {
        var run = CliRun.Of("compile", "zoo:mlp", "--emit", "resources", "--arch", "hopper");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--arch names a GPU architecture as NVRTC does, such as sm_90", run.Error);
    }
}
