using Graphport.Kernels.Conformance;
using Graphport.Tests.Shared;
using Graphport.Zoo;

namespace Graphport.Kernels.Tests;

/// <summary>
/// Every module the CUDA backend would generate, for every zoo model at batch 1 and 32 and every op case, compiled
/// to sm_90 CUBIN by a real NVRTC (a compiler needs no GPU). .ci/run installs Debian's libnvrtc so these run on
/// every CI machine; the device run then finds no compile error that this machine could have found.
/// </summary>
public class NvrtcCompilesGeneratedKernelsTests
{
    public static TheoryData<string> Models => new(ModelZoo.All.Select(m => m.Name));

    public static TheoryData<string> Cases => new(OpCases.All.Select(c => c.Name));

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Every_zoo_models_kernels_compile_for_sm_90(string name)
    {
        SkipWithoutNvrtc();
        var model = ModelZoo.Get(name);
        Torch.ManualSeed(21);
        var program = model.Export(2).Program;
        foreach (var batch in new long[] { 1, 32 })
        {
            var shapes = model.ExampleInputs(batch).Cast<Tensor>().Select(t => t.Shape.ToLongs()).ToList();
            CubinCheck.AssertCompiles(CudaCompiler.Plan(program, shapes), $"{name}_b{batch}");
        }
    }

    [SkippableTheory]
    [InlineData(1L)]
    [InlineData(32L)]
    public void Direct_small_channel_convolutions_compile_for_sm_90(long batch)
    {
        SkipWithoutNvrtc();
        var model = ModelZoo.Get("unet");
        Torch.ManualSeed(23);
        var shapes = model.ExampleInputs(batch).Cast<Tensor>().Select(t => t.Shape.ToLongs()).ToList();
        var program = model.Export(2).Program;
        var options = Planning.PlannerOptions.Default with { DirectSmallChannelConvolutions = true };
        var plan = CudaCompiler.Plan(program, shapes, options);
        Assert.NotEmpty(plan.Steps.OfType<Planning.DirectConvKernel>());
        CubinCheck.AssertCompiles(plan, $"unet_direct_b{batch}");
        // The wide schedule too (up to 64 sums per thread: the autotuner weighs it, so it must not spill either).
        var wide = CudaCompiler.Plan(program, shapes, options with
        {
            WideDirectConvolutionNodes = plan.Steps.OfType<Planning.DirectConvKernel>().Select(k => k.Origin!).ToHashSet(),
        });
        Assert.All(wide.Steps.OfType<Planning.DirectConvKernel>(), k => Assert.True(k.Wide));
        CubinCheck.AssertCompiles(wide, $"unet_direct_wide_b{batch}");
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Every_op_cases_kernels_compile_for_sm_90(string name)
    {
        SkipWithoutNvrtc();
        var op = OpCases.Get(name);
        Torch.ManualSeed(22);
        var inputs = op.Inputs();
        CubinCheck.AssertCompiles(CudaCompiler.Plan(op.Export(inputs), inputs.Select(t => t.Shape.ToLongs()).ToList()), name);
    }

    private static void SkipWithoutNvrtc() =>
        Skip.IfNot(CubinCheck.NvrtcInstalled(out var message), $"NVRTC is not installed here ({message}); .ci/run installs it");
}
