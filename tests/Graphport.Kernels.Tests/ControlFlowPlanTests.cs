using Graphport.Kernels.Backends;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Tests;

/// <summary>A data-dependent branch between device work, and a map over rows of a device result.</summary>
public sealed class BranchesThenMapsRows : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor w)
    {
        var h = x.Matmul(w).Tanh();
        var y = Torch.Cond(h.Sum() > 0, a => a[0].Sin() * 2.0, a => a[0].Cos() - a[1].Mean(), [h, x]);
        return Torch.Map((row, extra) => row * row.Sum() + extra[0], y, w.Sum()).Relu();
    }
}

/// <summary>
/// cond and map have no CUDA lowering; like any op without a kernel, they run on the host between device segments
/// (the CPU interpreter taking the branch the predicate picks, or the body once per row) and the rest of the program
/// stays on the device, where before the whole program was refused and a GPU silo served it on its CPU.
/// </summary>
public class ControlFlowPlanTests
{
    [Fact]
    public void Cond_and_map_are_host_steps_between_device_kernels_and_both_branches_compute_what_the_interpreter_does()
    {
        int seed = Environment.TickCount & int.MaxValue;
        Torch.ManualSeed((ulong)seed);
        var program = Torch.Export(new BranchesThenMapsRows(), [Torch.Randn(4, 3), Torch.Randn(3, 3)]);
        var core = ProgramPreparation.ToCore(program);
        var plan = FusionPlanner.Plan(core, ProgramPreparation.Bind(core, [Torch.Randn(4, 3), Torch.Randn(3, 3)]));

        Assert.Equal(["higher_order.cond", "higher_order.map_impl"], plan.HostOps);
        Assert.Equal(["cond", "map_impl"], plan.Steps.OfType<HostStep>().Select(s => s.Name[(s.Name.IndexOf('_') + 1)..]));
        Assert.Contains(plan.Steps, s => s is MatmulStep);

        using var twin = new CpuTwinBackend().Compile(program);
        using var source = new CpuTwinBackend(runCudaSource: true).Compile(program);
        using var reference = new CpuBackend().Compile(program);
        var branches = new HashSet<bool>();
        for (int call = 0; call < 12 && branches.Count < 2; call++)
        {
            Tensor[] inputs = [Torch.Randn(4, 3), Torch.Randn(3, 3)];
            branches.Add((inputs[0].Matmul(inputs[1]).Tanh().Sum() > 0.0).Item<bool>());
            var expected = (Tensor)reference.Run(inputs)[0]!;
            Assert.True(((Tensor)twin.Run(inputs)[0]!).AllClose(expected, 1e-5, 1e-6), $"seed {seed}, call {call}: the twin");
            Assert.True(((Tensor)source.Run(inputs)[0]!).AllClose(expected, 1e-5, 1e-6), $"seed {seed}, call {call}: the CUDA C");
        }
        Assert.True(branches.Count == 2, $"seed {seed}: twelve calls took one branch only");
    }
}
