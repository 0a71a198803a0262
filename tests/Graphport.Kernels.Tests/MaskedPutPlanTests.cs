using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Tests;

/// <summary>
/// x[mask] = v with one value (clipping, zeroing padding, a -inf fill) is where(mask, v, x) on the device, inlined
/// into its consumers, where index_put with a mask ran on the host between device segments.
/// </summary>
public class MaskedPutPlanTests
{
    public static TheoryData<string> Cases => new() { "whole", "rows", "accumulate", "integers", "one_element_value" };

    private static (Func<Tensor[], Tensor> Function, Tensor[] Inputs) Case(string name) => name switch
    {
        "whole" => (a => { var y = a[0].Clone(); y[a[0] < -0.5] = 0.0; return y * 2.0; }, [Torch.Randn(4, 6)]),
        "rows" => (a => { var y = a[0].Clone(); y[a[1] > 0.0] = -1.0; return y + 1.0; }, [Torch.Randn(5, 3, 4), Torch.Randn(5, 3)]),
        "accumulate" => (a => a[0].IndexPut([a[0] > 0.0], Torch.ScalarTensor(2.5), accumulate: true) - 1.0, [Torch.Randn(3, 7)]),
        "integers" => (a => { var y = a[0].Clone(); y[y == 0L] = 9L; return y * 3L; }, [Torch.Randint(-2, 3, 4, 5)]),
        "one_element_value" => (a => a[0].IndexPut([a[0] > 0.0], a[1]) + 0.5, [Torch.Randn(2, 8), Torch.Randn(1)]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_masked_write_of_one_value_is_a_device_select_with_the_interpreters_values(string name)
    {
        int seed = Environment.TickCount & int.MaxValue;
        Torch.ManualSeed((ulong)seed);
        var (function, inputs) = Case(name);
        var program = new OpCase(name, function, () => inputs).Export(inputs);
        var core = ProgramPreparation.ToCore(program);
        var plan = FusionPlanner.Plan(core, ProgramPreparation.Bind(core, inputs));
        Assert.Empty(plan.HostOps);
        Assert.Single(plan.Steps);

        using var reference = new CpuBackend().Compile(program);
        using var twin = new CpuTwinBackend().Compile(program);
        using var source = new CpuTwinBackend(runCudaSource: true).Compile(program);
        var expected = (Tensor)reference.Run(inputs)[0]!;
        Assert.True(((Tensor)twin.Run(inputs)[0]!).AllClose(expected, 1e-6, 1e-6), $"seed {seed}: the twin");
        Assert.True(((Tensor)source.Run(inputs)[0]!).AllClose(expected, 1e-6, 1e-6), $"seed {seed}: the CUDA C");
    }
}
