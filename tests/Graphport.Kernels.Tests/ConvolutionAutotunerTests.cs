using Graphport.Kernels.Backends;
using Graphport.Kernels.Codegen;
using Graphport.Kernels.HostEmulation;
using Graphport.Kernels.Planning;
using Graphport.Zoo;

namespace Graphport.Kernels.Tests;

/// <summary>
/// The CPU side of the CUDA backend's convolution autotuner: which plans it weighs, how step times become a
/// per-convolution choice, and that the mixed plan it then builds computes what the interpreter does.
/// </summary>
public class ConvolutionAutotunerTests
{
    private static (ExportedProgram Core, ShapeBinding Shapes, List<Tensor> Inputs) Unet(long batch) => ZooPlanCheck.Setup("unet", batch, 41);

    // The plan's CUDA C, run on the CPU, against the interpreter.
    private static void AssertRunsLikeTheInterpreter(ExportedProgram core, FusedProgram plan, List<Tensor> inputs)
    {
        var actual = (Tensor)HostCudaRunner.Run(plan, inputs).Single()!;
        var reference = core.Module().Call(inputs.Cast<object?>().ToArray());
        double diff = (actual - reference).Abs().Max().Item();
        Assert.True(diff <= 1e-4 * Math.Max(reference.Abs().Max().Item(), 1e-3) + 1e-6, $"max difference {diff}");
    }

    [Fact]
    public void A_unet_at_batch_32_is_weighed_with_its_16_to_64_channel_convolutions_direct()
    {
        var (core, shapes, _) = Unet(32);
        var gemm = FusionPlanner.Plan(core, shapes, PlannerOptions.Default);
        var tuner = ConvolutionAutotuner.For(core, shapes, PlannerOptions.Default, gemm);
        Assert.NotNull(tuner);
        var direct = tuner.Direct.Steps.OfType<DirectConvKernel>().ToList();
        // 3x3 layers of 16 and 32 channels at 64x64 and 32x32 (8), the 1x1 head, and the 64-channel 16x16 layers
        // whose 32 images add up to 8192 pixels (4); the 128-channel 8x8 layers stay GEMMs.
        Assert.Equal(13, direct.Count);
        Assert.All(direct, k => Assert.True(k.Cout <= 64));
        // Each direct kernel names its convolution, and the GEMM plan has that convolution's im2col and GEMM steps.
        foreach (var kernel in direct)
        {
            Assert.StartsWith("convolution", kernel.Origin);
            Assert.Contains(gemm.Steps, s => s.Origin == kernel.Origin && s is MatmulStep);
        }
    }

    [Fact]
    public void At_batch_32_the_wide_schedule_is_weighed_too_and_at_batch_2_where_it_changes_nothing_it_is_not()
    {
        var (core, shapes, _) = Unet(32);
        var tuner = ConvolutionAutotuner.For(core, shapes, PlannerOptions.Default, FusionPlanner.Plan(core, shapes, PlannerOptions.Default))!;
        Assert.NotNull(tuner.Wide);
        var wide = tuner.Wide.Steps.OfType<DirectConvKernel>().ToList();
        Assert.Equal(tuner.Direct.Steps.OfType<DirectConvKernel>().Select(k => k.Origin).Order(), wide.Select(k => k.Origin).Order());
        Assert.All(wide, k => Assert.True(k.Wide));
        Assert.Contains(wide, k => CudaRenderer.DirectConvSchedule(k) != CudaRenderer.DirectConvSchedule(k with { Wide = false }));
        Assert.True(tuner.Gemm.SharesWeightLayoutWith(tuner.Wide));

        // Two images of 64x64 give so few pixels that both schedules already take one pixel per thread.
        var (small, smallShapes, _) = Unet(2);
        Assert.Null(ConvolutionAutotuner.For(small, smallShapes, PlannerOptions.Default, FusionPlanner.Plan(small, smallShapes, PlannerOptions.Default))!.Wide);
    }

    [Fact]
    public void Each_convolution_takes_the_fastest_of_three_ways_and_the_mix_of_them_is_right()
    {
        var (core, shapes, inputs) = Unet(32);
        var gemm = FusionPlanner.Plan(core, shapes, PlannerOptions.Default);
        var tuner = ConvolutionAutotuner.For(core, shapes, PlannerOptions.Default, gemm)!;
        var random = new Random(11);
        List<StepTime> Times(FusedProgram plan, double scale) => plan.Steps.Select(s => new StepTime(s.Name, "", "", random.NextDouble() * scale)).ToList();
        var gemmTimes = Times(gemm, 0.5);
        var directTimes = Times(tuner.Direct, 1);
        var wideTimes = Times(tuner.Wide!, 1);
        double Sum(FusedProgram plan, List<StepTime> times, string node) =>
            times.Where(t => plan.Steps.Single(s => s.Name == t.Name).Origin == node).Sum(t => t.Milliseconds);

        var ways = ConvolutionAutotuner.FastestWays(gemm, gemmTimes, [(tuner.Direct, directTimes), (tuner.Wide!, wideTimes)]);

        foreach (var node in tuner.Direct.Steps.OfType<DirectConvKernel>().Select(k => k.Origin!))
        {
            var (g, d, w) = (Sum(gemm, gemmTimes, node), Sum(tuner.Direct, directTimes, node), Sum(tuner.Wide!, wideTimes, node));
            var expected = g <= Math.Min(d, w) ? ConvolutionAutotuner.Way.Gemm : d <= w ? ConvolutionAutotuner.Way.Direct : ConvolutionAutotuner.Way.Wide;
            Assert.Equal(expected, ways[node]);
        }
        Assert.Equal(3, ways.Values.Distinct().Count());

        // The mix: direct where either direct way won, wide where the wide one did; one weight upload; still right.
        var directNodes = ways.Where(w => w.Value != ConvolutionAutotuner.Way.Gemm).Select(w => w.Key).ToHashSet();
        var wideNodes = ways.Where(w => w.Value == ConvolutionAutotuner.Way.Wide).Select(w => w.Key).ToHashSet();
        var mixed = FusionPlanner.Plan(core, shapes, PlannerOptions.Default with { DirectSmallChannelConvolutions = true, DirectConvolutionNodes = directNodes, WideDirectConvolutionNodes = wideNodes });
        Assert.Equal(wideNodes.Order(), mixed.Steps.OfType<DirectConvKernel>().Where(k => k.Wide).Select(k => k.Origin!).Order());
        Assert.Equal(directNodes.Order(), mixed.Steps.OfType<DirectConvKernel>().Select(k => k.Origin!).Order());
        Assert.True(gemm.SharesWeightLayoutWith(mixed));
        AssertRunsLikeTheInterpreter(core, mixed, inputs);
    }

    [Fact]
    public void Nothing_is_weighed_where_no_convolution_would_change_or_the_planner_already_chose()
    {
        Torch.ManualSeed(42);
        var mlp = ModelZoo.Get("mlp").Export(2).Program.RunDecompositions();
        var mlpShapes = ShapeBinding.FromHints(mlp);
        Assert.Null(ConvolutionAutotuner.For(mlp, mlpShapes, PlannerOptions.Default, FusionPlanner.Plan(mlp, mlpShapes, PlannerOptions.Default)));
        var (core, shapes, _) = Unet(32);
        var forced = PlannerOptions.Default with { DirectSmallChannelConvolutions = true };
        Assert.Null(ConvolutionAutotuner.For(core, shapes, forced, FusionPlanner.Plan(core, shapes, forced)));
    }

    [Fact]
    public void Each_convolution_goes_the_way_its_own_steps_were_faster_and_the_mixed_plan_is_right()
    {
        var (core, shapes, inputs) = Unet(2);
        var gemm = FusionPlanner.Plan(core, shapes, PlannerOptions.Default);
        var tuner = ConvolutionAutotuner.For(core, shapes, PlannerOptions.Default, gemm)!;
        var random = new Random(7);
        var convolutions = tuner.Direct.Steps.OfType<DirectConvKernel>().Select(k => k.Origin!).ToList();
        // Random step times (the GEMM plan's halved: it has two or three steps per convolution to the direct
        // plan's one); a convolution should go direct exactly when its direct kernel beat its GEMM steps.
        var gemmTimes = gemm.Steps.Select(s => new StepTime(s.Name, "", "", random.NextDouble() / 2)).ToList();
        var directTimes = tuner.Direct.Steps.Select(s => new StepTime(s.Name, "", "", random.NextDouble())).ToList();
        double Sum(FusedProgram plan, List<StepTime> times, string node) =>
            times.Where(t => plan.Steps.Single(s => s.Name == t.Name).Origin == node).Sum(t => t.Milliseconds);
        var expected = convolutions.Where(c => Sum(tuner.Direct, directTimes, c) < Sum(gemm, gemmTimes, c)).ToHashSet();
        var chosen = ConvolutionAutotuner.FastestWays(gemm, gemmTimes, [(tuner.Direct, directTimes)])
            .Where(w => w.Value == ConvolutionAutotuner.Way.Direct).Select(w => w.Key).ToHashSet();
        Assert.Equal(expected.Order(), chosen.Order());
        Assert.InRange(chosen.Count, 1, convolutions.Count - 1);

        // The mixed plan takes exactly those convolutions direct, shares the weight upload, and is still right.
        var mixed = FusionPlanner.Plan(core, shapes, PlannerOptions.Default with { DirectSmallChannelConvolutions = true, DirectConvolutionNodes = chosen });
        Assert.Equal(chosen.Order(), mixed.Steps.OfType<DirectConvKernel>().Select(k => k.Origin!).Order());
        Assert.True(gemm.SharesWeightLayoutWith(mixed));
        AssertRunsLikeTheInterpreter(core, mixed, inputs);
    }
}
