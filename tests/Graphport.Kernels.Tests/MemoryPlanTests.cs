using Graphport.Kernels.Codegen;
using Graphport.Kernels.Planning;
using Graphport.Zoo;

namespace Graphport.Kernels.Tests;

public class MemoryPlanTests
{
    private static void AssertNoLiveOverlap(IReadOnlyList<BufferPlacement> placements)
    {
        for (int i = 0; i < placements.Count; i++)
            for (int j = i + 1; j < placements.Count; j++)
            {
                var a = placements[i];
                var b = placements[j];
                Assert.False(a.OverlapsInTime(b) && a.OverlapsInMemory(b), $"{a.Buffer} [{a.Offset}, {a.End}) steps {a.FirstStep}-{a.LastStep} overlaps {b.Buffer} [{b.Offset}, {b.End}) steps {b.FirstStep}-{b.LastStep}");
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_lifetimes_never_share_bytes_while_both_are_live_and_fit_in_the_unshared_size(int seed)
    {
        var random = new Random(seed);
        var lifetimes = Enumerable.Range(0, 200).Select(i =>
        {
            int first = random.Next(0, 100);
            return (new BufferRef(i, $"b{i}", DType.Float32, random.Next(1, 5000), BufferKind.Intermediate), first, first + random.Next(0, 15));
        }).ToList();
        var placements = MemoryPlanner.Assign(lifetimes);
        AssertNoLiveOverlap(placements);
        Assert.All(placements, p => Assert.Equal(0, p.Offset % MemoryPlanner.Alignment));
        Assert.True(placements.Max(p => p.End) <= lifetimes.Sum(l => MemoryPlanner.Align(l.Item1.Bytes)));
    }

    [Fact]
    public void A_chain_reuses_memory_two_buffers_at_a_time()
    {
        var lifetimes = Enumerable.Range(0, 10).Select(i => (new BufferRef(i, $"b{i}", DType.Float32, 1024, BufferKind.Intermediate), i, i + 1)).ToList();
        var placements = MemoryPlanner.Assign(lifetimes);
        AssertNoLiveOverlap(placements);
        Assert.Equal(2 * 4096, placements.Max(p => p.End));
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("bert_encoder")]
    public void Zoo_plans_share_the_arena_and_keep_live_buffers_apart(string model)
    {
        Torch.ManualSeed(7);
        var plan = CudaCompiler.Plan(ModelZoo.Get(model).Export(2).Program);
        AssertNoLiveOverlap(plan.Memory.Arena);
        Assert.True(plan.Memory.ArenaBytes <= plan.Memory.UnsharedBytes);
        Assert.True(plan.Memory.ArenaBytes < plan.Memory.UnsharedBytes / 2, $"arena {plan.Memory.ArenaBytes} vs unshared {plan.Memory.UnsharedBytes}: reuse should at least halve it");
        Assert.All(plan.UserInputs, b => Assert.Equal(-1, plan.Memory.Placement(b).FirstStep));
    }
}
