using Graphport.Kernels.Planning;
using Graphport.Kernels.Twin;
using Graphport.Zoo;

namespace Graphport.Kernels.Tests;

public class ZooTwinTests
{
    public static TheoryData<string, long> Models
    {
        get
        {
            var data = new TheoryData<string, long>();
            // Batch 3 as well: small images then fold the batch into each convolution's GEMM.
            foreach (var m in ModelZoo.All)
                foreach (var batch in new long[] { 1, 3 }) data.Add(m.Name, batch);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void The_whole_fused_program_run_through_the_twin_equals_the_interpreter(string name, long batch)
    {
        var plan = TwinMatchesInterpreter(name, batch, 11, PlannerOptions.Default);
        Assert.Empty(plan.HostOps);
    }

    private static FusedProgram TwinMatchesInterpreter(string name, long batch, ulong seed, PlannerOptions options) =>
        ZooPlanCheck.MatchesInterpreter(name, batch, seed, options, (plan, inputs) => CpuTwin.Run(plan, inputs));

    [Fact]
    public void Batch_norms_fold_into_the_convolutions_before_them_and_relu_fuses_into_the_kernel_after()
    {
        Torch.ManualSeed(12);
        var program = ModelZoo.Get("resnet18").Export(2).Program;
        var plan = CudaCompiler.Plan(program);
        var convolutions = plan.Steps.OfType<MatmulStep>().Count(s => s.Comment.Contains("conv", StringComparison.Ordinal));
        Assert.Equal(20, convolutions);
        // Every batch norm follows a convolution and became its weights and bias: no step normalizes.
        Assert.DoesNotContain(plan.Steps, s => s.Comment.Contains("batch_norm", StringComparison.Ordinal));
        Assert.Equal(20, plan.Weights.Count(w => w.Buffer.Name.EndsWith("_folded_weight", StringComparison.Ordinal)));
        // The folded bias, the residual add and the relu are one kernel.
        Assert.Contains(plan.Steps.OfType<PointwiseKernel>(), k => k.Comment.Contains("conv_bias", StringComparison.Ordinal) && k.Comment.Contains("add", StringComparison.Ordinal) && k.Comment.Contains("relu", StringComparison.Ordinal));
        // Weights feed cuBLASLt in place: no kernel copies a parameter.
        Assert.DoesNotContain(plan.Steps, s => s.Name.EndsWith("_copy", StringComparison.Ordinal));

        // Without folding, each bn (+ residual add) + relu is one pointwise kernel; no kernel is a lone batch norm.
        var unfolded = CudaCompiler.Plan(program, options: PlannerOptions.Default with { FoldBatchNorms = false });
        Assert.Contains(unfolded.Steps.OfType<PointwiseKernel>(), k => k.Comment.Contains("batch_norm", StringComparison.Ordinal) && k.Comment.Contains("relu", StringComparison.Ordinal));
        Assert.DoesNotContain(unfolded.Steps.OfType<PointwiseKernel>(), k => System.Text.RegularExpressions.Regex.IsMatch(k.Name, @"^k\d+_native_batch_norm$"));
        Assert.DoesNotContain(unfolded.Weights, w => w.Buffer.Name.EndsWith("_folded_weight", StringComparison.Ordinal));
    }

    [Fact]
    public void A_batch_norm_folds_only_when_the_convolution_feeds_nothing_else_and_the_result_stays_right()
    {
        // y = conv(x) is read by the norm and by the sum: folding would change what the sum reads, so it must not.
        Torch.ManualSeed(14);
        var conv = new Conv2d(3, 4, kernelSize: 3, padding: 1);
        var norm = new BatchNorm2d(4);
        norm.Eval();
        foreach (var (name, t) in norm.NamedBuffers().Where(b => b.Name.StartsWith("running", StringComparison.Ordinal)))
            t.Copy_(Torch.Rand(t.Shape.ToLongs()) + 0.5);
        var program = Torch.Export(new ConvThenNorm(conv, norm), [Torch.Randn(2, 3, 9, 9)], strict: false).RunDecompositions();
        var inputs = new[] { Torch.Randn(2, 3, 9, 9) };
        var plan = FusionPlanner.Plan(program, ShapeBinding.FromInputs(program, [[2, 3, 9, 9]]), PlannerOptions.Default);
        Assert.DoesNotContain(plan.Weights, w => w.Buffer.Name.EndsWith("_folded_weight", StringComparison.Ordinal));
        var actual = (Tensor)CpuTwin.Run(plan, inputs).Single()!;
        var expected = program.Module().Call(inputs.Cast<object?>().ToArray());
        Assert.True((actual - expected).Abs().Max().Item() < 1e-4);
    }

    private sealed class ConvThenNorm(Conv2d conv, BatchNorm2d norm) : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x)
        {
            var y = conv.Call(x);
            return norm.Call(y) + y;
        }
    }

    [Fact]
    public void Mobilenets_depthwise_convolutions_are_direct_kernels_with_the_batch_norm_in_their_epilogue()
    {
        Torch.ManualSeed(13);
        var model = ModelZoo.Get("mobilenet_v2");
        var plan = CudaCompiler.Plan(model.Export(2).Program, [[1, 3, 32, 32]]);
        var depthwise = plan.Steps.OfType<ReductionKernel>().Where(k => k.Name.Contains("depthwise", StringComparison.Ordinal)).ToList();
        Assert.Equal(17, depthwise.Count);
        Assert.All(depthwise, k => Assert.Equal(9, k.Reduced.Numel));
        Assert.All(depthwise, k => Assert.Contains("then", k.Comment, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("unet", 32)]
    [InlineData("unet", 1)]
    public void The_direct_convolution_plan_finds_every_weight_where_the_default_plan_put_it(string name, long batch)
    {
        // The backend's convolution autotuner builds both plans over one weight upload and keeps the faster.
        var (core, shapes, _) = ZooPlanCheck.Setup(name, batch, 17);
        var gemm = FusionPlanner.Plan(core, shapes, PlannerOptions.Default);
        var direct = FusionPlanner.Plan(core, shapes, PlannerOptions.Default with { DirectSmallChannelConvolutions = true });
        Assert.NotEmpty(direct.Steps.OfType<DirectConvKernel>());
        Assert.True(gemm.SharesWeightLayoutWith(direct));
        Assert.True(direct.SharesWeightLayoutWith(gemm));
    }

    [Theory]
    [InlineData("unet", 1)]
    [InlineData("unet", 2)]
    [InlineData("resnet18", 2)]
    public void Direct_small_channel_convolutions_run_through_the_twin_equal_the_interpreter(string name, long batch)
    {
        var plan = TwinMatchesInterpreter(name, batch, 16, PlannerOptions.Default with { DirectSmallChannelConvolutions = true });
        // U-Net's 16- and 32-channel convolutions at 64x64 and 32x32 (its 1x1 head too); ResNet-18's images are too small.
        Assert.Equal(name == "unet" ? 9 : 0, plan.Steps.OfType<DirectConvKernel>().Count());
        // Each 3x3 one's batch norm is folded in and its ReLU applied as the sums are stored: no kernel of its own.
        Assert.Equal(name == "unet" ? 8 : 0, plan.Steps.OfType<DirectConvKernel>().Count(k => k.Relu));
        if (name == "unet") Assert.DoesNotContain(plan.Steps, s => s is PointwiseKernel && s.Comment.Contains("direct_conv", StringComparison.Ordinal));
    }

    [Fact]
    public void At_batch_32_small_images_fold_the_batch_into_one_gemm_per_convolution()
    {
        Torch.ManualSeed(15);
        var plan = CudaCompiler.Plan(ModelZoo.Get("resnet18").Export(2).Program, [[32, 3, 32, 32]]);
        var convolutions = plan.Steps.OfType<MatmulStep>().Where(s => s.Problem.Convolution).ToList();
        Assert.Equal(20, convolutions.Count);
        // Every stage of a 32x32 ResNet is under 1024 pixels: each convolution is one product over all 32 images.
        Assert.All(convolutions, s => Assert.Equal(1, s.Problem.Batch));
        Assert.All(convolutions, s => Assert.Equal(0, s.Problem.N % 32));
        // Nothing normalises on its own: each batch norm sits in the gather (im2col) of the next GEMM or a neighbour.
        Assert.DoesNotContain(plan.Steps.OfType<PointwiseKernel>(), k => System.Text.RegularExpressions.Regex.IsMatch(k.Name, @"^k\d+_native_batch_norm$"));
    }

    [Fact]
    public void Matrix_products_absorb_their_bias_and_relu()
    {
        Torch.ManualSeed(14);
        var plan = CudaCompiler.Plan(ModelZoo.Get("mlp").Export(2).Program);
        Assert.Equal(3, plan.Steps.Count);
        Assert.All(plan.Steps, s => Assert.IsType<MatmulStep>(s));
        Assert.Equal([MatmulActivation.Relu, MatmulActivation.Relu, MatmulActivation.None], plan.Steps.Cast<MatmulStep>().Select(s => s.Problem.Activation));
        Assert.All(plan.Steps.Cast<MatmulStep>(), s => Assert.NotNull(s.Problem.Bias));
    }
}
