using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Tests;

/// <summary>
/// Losses on the device: cross entropy (class indices with an ignored target, class weights, label smoothing, per
/// pixel, class probabilities) and the regression losses plan with no host step, and their generated CUDA C, run on
/// the CPU, computes what the interpreter does. A class index outside the classes fails the call by name, as the
/// interpreter's gather does, instead of reading another row.
/// </summary>
public class LossPlanTests
{
    [Theory]
    [InlineData("cross_entropy_losses")]
    [InlineData("regression_losses")]
    public void Losses_plan_without_host_steps_and_their_cuda_c_matches_the_interpreter(string name)
    {
        int seed = Environment.TickCount & 0xFFFF;
        Torch.ManualSeed((ulong)seed);
        var op = OpCases.Get(name);
        var inputs = op.Inputs();
        var program = op.Export(inputs);
        var backend = new CpuTwinBackend(runCudaSource: true);
        var actual = (Tensor)backend.Compile(program).Run(inputs)[0]!;
        var expected = (Tensor)new CpuBackend().Compile(program).Run(inputs)[0]!;

        var plan = backend.Plans.Single();
        Assert.Empty(plan.HostOps);
        Assert.DoesNotContain(plan.Steps, s => s is HostStep);
        Assert.Equal(expected.Shape.ToLongs(), actual.Shape.ToLongs());
        double diff = (actual - expected).Abs().Max().Item();
        Assert.True(diff <= 1e-4 * Math.Max(expected.Abs().Max().Item(), 1), $"seed {seed}: {name} differs from the interpreter by {diff}");
    }

    [Fact]
    public void A_class_index_past_the_classes_fails_the_call_on_the_device_as_on_the_cpu()
    {
        Torch.ManualSeed(17);
        var op = OpCases.Get("cross_entropy_losses");
        var inputs = op.Inputs();
        var program = op.Export(inputs);
        var compiled = new CpuTwinBackend().Compile(program);
        var bad = new[] { inputs[0], Tensor.FromArray(new long[] { 3, -100, 0, 10, 4, 4 }, 6), inputs[2] };

        var onDevice = Assert.ThrowsAny<IndexValueException>(() => compiled.Run(bad));
        Assert.Contains("10", onDevice.Message, StringComparison.Ordinal);
        Assert.Contains("gather", onDevice.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<Exception>(() => new CpuBackend().Compile(program).Run(bad));
        // The next call with good labels runs: four losses, six per sample and six per pixel.
        Assert.Equal(16L, (long)((Tensor)compiled.Run(inputs)[0]!).Numel());
    }
}
