using Graphport.Kernels.Backends;
using Graphport.Kernels.Codegen;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Tests;

/// <summary>Inputs named as the generated kernels name their own variables, and a C++ keyword.</summary>
public sealed class NamedLikeTheKernelsOwn : Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    // i: the pointwise loop's index; t0: a temporary; acc: a reduction's accumulator; int: not a C++ name at all.
    // The output is the node "exp", and a float64 body calls exp().
    public override Tensor Forward(Tensor i, Tensor t0, Tensor acc, Tensor @int) => (t0[i] * acc.Sum(1, keepdim: true)[i] + @int).Exp();
}

/// <summary>Keeps the positive elements' sum: how many there are is data.</summary>
public sealed class SumsWhatAMaskPicks : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x * x[x > 0.0].Sum();
}

/// <summary>
/// A kernel's buffer parameters carry the program's value names (readable CUDA C), so a user's names must not break
/// the source: a name the body uses for its own variables, a function it calls or a C++ keyword gets a trailing
/// underscore. And a program whose sizes the data decides is refused by the planner with the reason, so the GPU
/// silo serves it on its CPU backend, instead of failing deep inside the plan.
/// </summary>
public class GeneratedNamesTests
{
    [Fact]
    public void Values_named_like_the_kernels_locals_functions_or_keywords_compile_and_compute_what_the_interpreter_does()
    {
        int seed = Environment.TickCount & int.MaxValue;
        Torch.ManualSeed((ulong)seed);
        Tensor[] Inputs() =>
        [
            Torch.Randint(-6, 6, 4),
            Torch.Randn(6, 3).To(DType.Float64),
            (Torch.Randn(6, 5) * 0.1).To(DType.Float64),
            Torch.Randn(4, 3).To(DType.Float64),
        ];
        var inputs = Inputs();
        var program = Torch.Export(new NamedLikeTheKernelsOwn(), [.. inputs]);

        var core = ProgramPreparation.ToCore(program);
        var plan = FusionPlanner.Plan(core, ProgramPreparation.Bind(core, inputs));
        var source = CudaRenderer.RenderModule(plan.Steps);
        foreach (var escaped in new[] { "* __restrict__ i_", "* __restrict__ t0_", "* __restrict__ acc_", "* __restrict__ int_", "* __restrict__ exp_" })
            Assert.Contains(escaped, source);

        using var onCpu = new CpuTwinBackend(runCudaSource: true).Compile(program);
        using var reference = new CpuBackend().Compile(program);
        foreach (var call in new[] { inputs, Inputs() })
        {
            var expected = (Tensor)reference.Run(call)[0]!;
            var actual = (Tensor)onCpu.Run(call)[0]!;
            Assert.True(actual.AllClose(expected, 1e-12, 1e-12), $"seed {seed}");
        }
    }

    [Fact]
    public void A_size_the_data_decides_is_refused_by_the_planner_naming_the_node_and_why()
    {
        var x = Torch.Randn(5, 4);
        var core = ProgramPreparation.ToCore(Torch.Export(new SumsWhatAMaskPicks(), [x]));

        var error = Assert.Throws<NotSupportedException>(() => FusionPlanner.Plan(core, ProgramPreparation.Bind(core, [x])));

        Assert.Matches("^The CUDA planner cannot lower node index: its size u[0-9]+ is decided by the data", error.Message);
        Assert.Contains("a CUDA plan sizes its buffers before the call", error.Message);
    }

    private sealed class KeepsWhatNmsKeeps : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor boxes, Tensor scores) => boxes[Torchvision.Nms(boxes, scores, 0.5)] * 2.0;
    }

    [Fact]
    public void Non_maximum_suppressions_kept_count_is_refused_by_the_planner_naming_the_node()
    {
        var corners = Torch.Rand(12, 2) * 10.0;
        Tensor boxes = Torch.Cat([corners, corners + 3.0], 1), scores = Torch.Rand(12);
        var core = ProgramPreparation.ToCore(Torch.Export(new KeepsWhatNmsKeeps(), [boxes, scores]));

        var error = Assert.Throws<NotSupportedException>(() => FusionPlanner.Plan(core, ProgramPreparation.Bind(core, [boxes, scores])));

        Assert.Matches("^The CUDA planner cannot lower node nms: its size u[0-9]+ is decided by the data", error.Message);
    }

    private sealed class SpectrumPower : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor signal) => TorchFft.Rfft(signal).Abs() * 2.0;
    }

    [Fact]
    public void A_program_holding_complex_numbers_is_refused_by_the_planner_naming_the_node_and_the_cpu_backend()
    {
        var signal = Torch.Randn(3, 16);
        var core = ProgramPreparation.ToCore(Torch.Export(new SpectrumPower(), [signal]));

        var error = Assert.Throws<NotSupportedException>(() => FusionPlanner.Plan(core, ProgramPreparation.Bind(core, [signal])));

        Assert.StartsWith("The CUDA planner cannot lower node _fft_r2c: it holds complex numbers (torch.complex64)", error.Message);
        Assert.Contains("run on the CPU backend", error.Message);
    }

    private sealed class RotaryEmbedding : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor xq, Tensor freqs)
        {
            var pairs = Torch.ViewAsComplex(xq.Reshape(2, 5, 3, 4, 2));
            return Torch.ViewAsReal(pairs * Torch.Polar(Torch.OnesLike(freqs), freqs)).Flatten(3);
        }
    }

    [Fact]
    public void A_rotary_embedding_written_with_complex_numbers_plans_as_real_pairs_and_gives_the_complex_result()
    {
        Torch.ManualSeed(77);
        Tensor xq = Torch.Randn(2, 5, 3, 8), freqs = Torch.Randn(5, 1, 4);
        var program = Torch.Export(new RotaryEmbedding(), [xq, freqs]);
        var core = ProgramPreparation.ToCore(program);

        Assert.DoesNotContain(core.Graph.Nodes, n => n.Value is TensorMeta { DType: var d } && d.IsComplex());
        var plan = FusionPlanner.Plan(core, ProgramPreparation.Bind(core, [xq, freqs]));
        Assert.Empty(plan.HostOps);
        using var twin = new CpuTwinBackend().Compile(program);
        var actual = (Tensor)twin.Run([xq, freqs])[0]!;
        Assert.True(actual.AllClose(new RotaryEmbedding().Call(xq, freqs), 1e-5, 1e-5));
    }
}
