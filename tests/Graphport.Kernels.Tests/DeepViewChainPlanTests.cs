using Graphport.Kernels.Planning;
using F = Graphport.Functional;

namespace Graphport.Kernels.Tests;

/// <summary>
/// A ShuffleNet-like stack of blocks (split the channels, convolve one half, join, shuffle the channels by view,
/// transpose and view) composes every block's views into the next block's reads. Planned naively, the index math grew
/// with each block until planning ran for minutes and printed tens of megabytes of CUDA C; values whose reads grow past
/// the planner's budget are stored, so the plan stays small and computes what the interpreter does.
/// </summary>
public class DeepViewChainPlanTests
{
    private sealed class ShuffleStack : Module<Tensor, Tensor>
    {
        private readonly Parameter[] weights;
        private readonly Parameter downsample;

        public ShuffleStack(int blocks)
        {
            weights = Enumerable.Range(0, blocks).Select(i => RegisterParameter($"w{i}", new Parameter(Torch.Randn(4, 1, 3, 3) * 0.3))).ToArray();
            downsample = RegisterParameter("down", new Parameter(Torch.Randn(8, 1, 3, 3) * 0.3));
        }

        public override Tensor Forward(Tensor x)
        {
            foreach (var w in weights)
            {
                var halves = x.Chunk(2, 1);
                var convolved = F.Relu(F.Conv2d(halves[1], w, null, stride: [1, 1], padding: [1, 1], groups: 4));
                var joined = Torch.Cat([halves[0], convolved], 1);
                x = joined.View(1, 2, 4, 6, 6).Transpose(1, 2).Reshape(1, 8, 6, 6);
            }
            // A strided window over the whole chain: its reads are where the views' index math stops simplifying.
            return F.Conv2d(x, downsample, null, stride: [2, 2], padding: [1, 1], groups: 8);
        }
    }

    [Fact]
    public async Task Sixteen_shuffled_blocks_plan_in_moments_into_compact_cuda_c_that_matches_the_interpreter()
    {
        Torch.ManualSeed(77);
        var model = new ShuffleStack(16);
        var x = Torch.Randn(1, 8, 6, 6);
        var program = Torch.Export(model, [x]).RunDecompositions();
        // On a task, so that a regression fails here instead of hanging the run.
        var planning = Task.Run(() => (CudaCompiler.Plan(program, [[1, 8, 6, 6]]), CudaCompiler.EmitSource(program, [[1, 8, 6, 6]])));
        Assert.True(await Task.WhenAny(planning, Task.Delay(TimeSpan.FromSeconds(60))) == planning, "planning did not finish in 60 s");
        var (plan, source) = await planning;
        Assert.True(source.Length < 400_000, $"{source.Length} characters of CUDA C");
        Assert.True(source.Split('\n').Max(l => l.Length) < 4000, "a line of index math grew past 4000 characters");
        var expected = (Tensor)program.Module().Call(x);
        var actual = (Tensor)Twin.CpuTwin.Run(plan, [x]).Single()!;
        Assert.True((expected - actual).Abs().Max().Item() < 1e-4);
    }
}
