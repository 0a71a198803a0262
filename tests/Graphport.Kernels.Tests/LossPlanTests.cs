using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;

namespace Graphport.Kernels.Tests;

/// <summary>
/// Cross entropy on the device (its plan and CUDA C are checked with the other layer families in
/// LayerFamiliesOnDeviceTests): a class index outside the classes fails the call by name, as the interpreter's gather
/// does, instead of reading another row.
/// </summary>
public class LossPlanTests
{
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
