using Graphport.Kernels.Backends;
using Graphport.Kernels.Planning;
using Graphport.Tests.Shared;
using static Graphport.Torch;

namespace Graphport.Kernels.Tests;

/// <summary>
/// A buffer the program updates at a few positions (a static key/value cache taking a token's keys) is scattered
/// straight into its own device buffer: a decoding step moves the token's elements, not the cache's. Where the old
/// value is also read, the update goes to a copy as before, and every call still computes what the interpreter does.
/// </summary>
public class StateUpdatePlanTests
{
    [Fact]
    public void A_cache_updated_at_positions_is_scattered_into_its_own_buffer()
    {
        ManualSeed(51);
        var plan = CudaCompiler.Plan(Export(new TokenCache(readsOldValue: false), TokenCache.Token(0), strict: false));
        var cache = plan.Weights.Single().Buffer;
        var writers = plan.Steps.Where(s => s.Writes().Contains(cache)).ToList();
        var scatter = Assert.IsType<PointwiseKernel>(Assert.Single(writers));
        Assert.Equal(2 * 1 * 6, scatter.Space.Numel);
        Assert.DoesNotContain(plan.Steps, s => s.Name.Contains("write_back", StringComparison.Ordinal));
        Assert.Same(cache, plan.Outputs.Single(o => o.WritesState).View!.Buffer);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Each_token_of_a_decode_reads_the_cache_every_earlier_token_wrote(bool readsOldValue)
    {
        ManualSeed(52);
        var program = Export(new TokenCache(readsOldValue), TokenCache.Token(0), strict: false);
        using var twin = new CpuTwinBackend().Compile(program);
        using var reference = new CpuBackend().Compile(program);
        foreach (var position in new long[] { 0, 1, 2, 5 })
        {
            var token = TokenCache.Token(position).Cast<Tensor>().ToArray();
            var expected = (Tensor)reference.Run(token)[0]!;
            var actual = (Tensor)twin.Run(token)[0]!;
            Assert.True((actual - expected).Abs().Max().Item() <= 1e-6, $"token at {position}: the twin differs from the interpreter by {(actual - expected).Abs().Max().Item()}");
        }
    }
}
