using Graphport.Kernels.Backends;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Tests;

/// <summary>
/// A 1-D convolution followed by an inference batch norm (an audio encoder's block) runs as the 2-D convolution of unit
/// height with the norm folded into its weights; the norm's users read the result as the 1-D [N, C, L] it is. (They
/// read the 2-D [N, C, 1, L] before, and planning failed with an index out of range.)
/// </summary>
public class Conv1dBatchNormPlanTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    public void A_batch_norm_after_a_1d_convolution_folds_into_it_and_its_users_read_the_1d_result(long groups)
    {
        int seed = Environment.TickCount & int.MaxValue;
        Torch.ManualSeed((ulong)seed);
        var block = new Sequential(new Conv1d(4, 6, 3, stride: 2, padding: 1, groups: groups), new BatchNorm1d(6), new LeakyReLU(0.2), new Conv1d(6, 6, 1));
        var norm = (BatchNorm1d)block[1];
        norm.RunningMean.Copy_(Torch.Randn(6));
        norm.RunningVar.Copy_(Torch.Rand(6) + 0.5);
        block.Eval();
        var x = Torch.Randn(2, 4, 16);
        var program = Torch.Export(block, [x]);

        var core = ProgramPreparation.ToCore(program);
        var plan = FusionPlanner.Plan(core, ProgramPreparation.Bind(core, [x]));
        Assert.DoesNotContain(plan.Steps, s => s.Comment.Contains("batch_norm", StringComparison.Ordinal));

        using var reference = new CpuBackend().Compile(program);
        foreach (var cudaSource in new[] { false, true })
        {
            using var compiled = new CpuTwinBackend(runCudaSource: cudaSource).Compile(program);
            var input = Torch.Randn(2, 4, 16);
            var expected = (Tensor)reference.Run([input])[0]!;
            Assert.True(((Tensor)compiled.Run([input])[0]!).AllClose(expected, 1e-5, 1e-5), $"seed {seed}, CUDA C {cudaSource}");
        }
    }
}
