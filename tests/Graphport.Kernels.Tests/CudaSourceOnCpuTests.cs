using Graphport.Kernels.Backends;
using Graphport.Kernels.Codegen;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.HostEmulation;
using Graphport.Kernels.Planning;
using Graphport.Zoo;
using F = Graphport.Functional;

namespace Graphport.Kernels.Tests;

/// <summary>
/// The CUDA C the device compiles, run on the CPU (kernels/HostEmulation): each CUDA thread a fiber, barriers
/// and warp shuffles honoured, loads and stores bounds-checked. Where the twin shows the IR is right, these show
/// the printed source is: the family templates' schedules, the renderer's index math, the direct convolution.
/// </summary>
public class CudaSourceOnCpuTests
{
    public static TheoryData<string> ZooModels => new(ModelZoo.All.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(ZooModels))]
    public void Every_zoo_models_generated_cuda_c_computes_what_the_interpreter_does(string name)
    {
        SourceMatchesInterpreter(name, 1, 31, PlannerOptions.Default, narrowIndices: true);
    }

    [Theory]
    [InlineData("unet")]
    [InlineData("bert_encoder")]
    public void At_an_h100s_launch_shapes_the_generated_cuda_c_also_matches(string name)
    {
        // 132 multiprocessors: grids as large as the device gets, so most threads run their loop body once.
        SourceMatchesInterpreter(name, 2, 33, PlannerOptions.Default with { DirectSmallChannelConvolutions = name == "unet" }, narrowIndices: true, multiprocessors: 132);
    }

    [Fact]
    public void A_unet_at_batch_32_runs_its_direct_convolutions_in_channel_groups_and_matches()
    {
        // The schedules the device gets at batch 32: 64x64 layers 2 pixels x 16 channels per thread, 32x32 layers one
        // pixel x 16 of 32 channels (2 groups), 16x16 layers one pixel x 8 of 64 channels (8 groups).
        var plan = SourceMatchesInterpreter("unet", 32, 34, PlannerOptions.Default with { DirectSmallChannelConvolutions = true }, narrowIndices: true);
        var schedules = plan.Steps.OfType<DirectConvKernel>().Select(k => (k.Cout, k.ImagePixels, CudaRenderer.DirectConvSchedule(k))).Distinct().ToList();
        Assert.Contains((16L, 4096L, (2, 16)), schedules);
        Assert.Contains((32L, 1024L, (1, 16)), schedules);
        Assert.Contains((64L, 256L, (1, 8)), schedules);
    }

    [Fact]
    public void A_unet_at_batch_32_on_the_wide_schedule_runs_twice_the_sums_per_thread_and_matches()
    {
        // The autotuner's third way: half the warps, so 64x64 layers take 4 pixels x 16 channels per thread, 32x32
        // layers all 32 channels, 16x16 layers 16 of 64, and the 1x1 head 4 pixels of its 2 channels.
        var (core, shapes, _) = ZooPlanCheck.Setup("unet", 32, 35);
        var direct = PlannerOptions.Default with { DirectSmallChannelConvolutions = true };
        var nodes = FusionPlanner.Plan(core, shapes, direct).Steps.OfType<DirectConvKernel>().Select(k => k.Origin!).ToHashSet();
        var plan = SourceMatchesInterpreter("unet", 32, 35, direct with { WideDirectConvolutionNodes = nodes }, narrowIndices: true);
        var kernels = plan.Steps.OfType<DirectConvKernel>().ToList();
        Assert.Equal(13, kernels.Count);
        Assert.All(kernels, k => Assert.True(k.Wide));
        var schedules = kernels.Select(k => (k.Cout, k.ImagePixels, CudaRenderer.DirectConvSchedule(k))).Distinct().ToList();
        Assert.Contains((16L, 4096L, (4, 16)), schedules);
        Assert.Contains((32L, 1024L, (1, 32)), schedules);
        Assert.Contains((64L, 256L, (1, 16)), schedules);
        Assert.Contains((2L, 4096L, (4, 2)), schedules);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_unets_direct_small_channel_convolutions_compute_what_the_interpreter_does(bool narrowIndices)
    {
        var plan = SourceMatchesInterpreter("unet", 2, 32, PlannerOptions.Default with { DirectSmallChannelConvolutions = true }, narrowIndices);
        Assert.Equal(9, plan.Steps.OfType<DirectConvKernel>().Count());
    }

    [Theory]
    [InlineData(6, 5)]
    [InlineData(32, 3)]
    [InlineData(64, 20)] // 180 taps of 64 channels: the weights are staged in two chunks
    public void A_direct_convolution_whose_pixels_end_inside_a_thread_block_matches_the_interpreter(long cout, long cin)
    {
        // 2 x 33 x 35 = 2310 output pixels: not a multiple of any block's pixels, so the last threads own fewer.
        var op = new OpCase("direct_conv_tail", a => F.Conv2d(F.Relu(a[0] - 0.2), a[1], a[2], padding: [1, 1]), () => [R(2, cin, 33, 35), R(cout, cin, 3, 3), R(cout)]);
        Torch.ManualSeed(91);
        var inputs = op.Inputs();
        var program = op.Export(inputs);
        var backend = new CpuTwinBackend(PlannerOptions.Default with { DirectSmallChannelConvolutions = true }, runCudaSource: true);
        var actual = (Tensor)backend.Compile(program).Run(inputs)[0]!;
        var expected = (Tensor)new CpuBackend().Compile(program).Run(inputs)[0]!;
        double diff = (actual - expected).Abs().Max().Item();
        Assert.True(diff <= 1e-4 * Math.Max(expected.Abs().Max().Item(), 1), $"max difference {diff}");
        var kernel = Assert.Single(backend.Plans.Single().Steps.OfType<DirectConvKernel>());
        Assert.NotEqual(0, 2310 % (CudaRenderer.DirectConvBlockSize * CudaRenderer.DirectConvSchedule(kernel).Pixels));
    }

    // Rows long and many enough that each schedule's grid-stride loop goes round more than once on a small grid.
    public static TheoryData<string> Schedules => new(ScheduleCases.Select(c => c.Name));

    private static readonly OpCase[] ScheduleCases =
    [
        new("sum_thread_per_row", a => a[0].Sum(1), () => [R(20000, 20)]),
        new("sum_warp_per_row", a => a[0].Sum(1), () => [R(1500, 300)]),
        new("max_block_per_row", a => a[0].Amax(1), () => [R(300, 3000)]),
        new("softmax_warp_rows", a => F.Softmax(a[0], -1), () => [R(1200, 100)]),
        new("log_softmax_block_rows", a => F.LogSoftmax(a[0], -1), () => [R(300, 1500)]),
        new("layer_norm_block_rows", a => F.LayerNorm(a[0] * 3.0 + 1.0, [2000], null, null), () => [R(280, 2000)]),
        new("long_pointwise", a => (a[0] * a[1]).Relu() + a[1], () => [R(70000), R(70000)]),
    ];

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Each_kernel_schedule_matches_the_interpreter_when_its_grid_strides(string name)
    {
        var op = ScheduleCases.Single(c => c.Name == name);
        Torch.ManualSeed(77);
        var inputs = op.Inputs();
        var program = op.Export(inputs);
        var backend = new CpuTwinBackend(runCudaSource: true);
        var actual = (Tensor)backend.Compile(program).Run(inputs)[0]!;
        var expected = (Tensor)new CpuBackend().Compile(program).Run(inputs)[0]!;
        double diff = (actual - expected).Abs().Max().Item();
        Assert.True(diff <= 1e-4 * Math.Max(expected.Abs().Max().Item(), 1), $"{name}: max difference {diff}");
        // The case is only worth its time if the launch really is smaller than the work.
        var kernel = backend.Plans.Single().GeneratedKernels.Last();
        var launch = CudaRenderer.Launch(kernel, 2);
        Assert.True(launch.Grid * launch.Block < inputs[0].Numel(), $"{name}: {launch.Grid} x {launch.Block} threads cover the input without striding");
    }

    [Fact]
    public void A_kernel_that_indexes_past_its_buffer_is_named_with_the_parameter_and_element()
    {
        Torch.ManualSeed(5);
        var op = OpCases.Get("add_broadcast");
        var inputs = op.Inputs();
        var plan = CudaCompiler.Plan(op.Export(inputs));
        var kernel = plan.GeneratedKernels.Single();
        var module = HostCudaModule.Compile(plan.GeneratedKernels);
        var parameters = CudaRenderer.Parameters(kernel);
        var buffers = parameters.Select(b => new float[b.Elements]).ToArray();
        var handles = buffers.Select(b => System.Runtime.InteropServices.GCHandle.Alloc(b, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
        try
        {
            // The output is said to hold 5 floats where the kernel writes 32.
            var arguments = parameters.Select((b, i) => (handles[i].AddrOfPinnedObject(), i == parameters.Count - 1 ? 20L : b.Bytes)).ToList();
            var error = Assert.Throws<HostCudaLaunchException>(() => module.Launch(kernel, arguments, CudaRenderer.Launch(kernel, 2)));
            Assert.Contains(kernel.Name, error.Message, StringComparison.Ordinal);
            Assert.Contains($"element 5 of parameter {parameters.Count - 1}, which holds 5 elements", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }

    private static Tensor R(params long[] shape) => Torch.Randn(shape);

    private static FusedProgram SourceMatchesInterpreter(string name, long batch, ulong seed, PlannerOptions options, bool narrowIndices, int multiprocessors = 2) =>
        ZooPlanCheck.MatchesInterpreter(name, batch, seed, options, (plan, inputs) => HostCudaRunner.Run(plan, inputs, narrowIndices, multiprocessors));
}
