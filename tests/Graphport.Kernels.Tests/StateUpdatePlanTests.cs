using Graphport.Kernels.Backends;
using Graphport.Kernels.Planning;
using static Graphport.Torch;

namespace Graphport.Kernels.Tests;

/// <summary>
/// A buffer the program updates at a few positions (a static key/value cache taking a token's keys) is scattered
/// straight into its own device buffer: a decoding step moves the token's elements, not the cache's. Where the old
/// value is also read, the update goes to a copy as before, and every call still computes what the interpreter does.
/// </summary>
public class StateUpdatePlanTests
{
    private sealed class TokenCache(bool readsOldValue) : Module<Tensor, Tensor, Tensor>
    {
        private readonly Buffer cache = new(Zeros([2, 16, 6]), persistent: false);

        public override Tensor Forward(Tensor rows, Tensor at)
        {
            // A pointwise read of the old value is planned lazily, inside a later kernel: it must still see the old one.
            var before = readsOldValue ? cache * 2.0 : null;
            Ops["aten::index_copy_"].CallTensor(cache, 1L, at, rows);
            var result = cache * 1.5 + 1.0;
            return before is null ? result : result + before;
        }
    }

    private static (Tensor Rows, Tensor At) Token(long position) => (Randn(2, 1, 6), Tensor.FromArray(new[] { position }, 1));

    [Fact]
    public void A_cache_updated_at_positions_is_scattered_into_its_own_buffer()
    {
        ManualSeed(51);
        var (rows, at) = Token(0);
        var plan = CudaCompiler.Plan(Export(new TokenCache(readsOldValue: false), [rows, at], strict: false));
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
        var (rows, at) = Token(0);
        var program = Export(new TokenCache(readsOldValue), [rows, at], strict: false);
        using var twin = new CpuTwinBackend().Compile(program);
        using var reference = new CpuBackend().Compile(program);
        foreach (var position in new long[] { 0, 1, 2, 5 })
        {
            var (r, p) = Token(position);
            var expected = (Tensor)reference.Run([r, p])[0]!;
            var actual = (Tensor)twin.Run([r, p])[0]!;
            Assert.True((actual - expected).Abs().Max().Item() <= 1e-6, $"token at {position}: the twin differs from the interpreter by {(actual - expected).Abs().Max().Item()}");
        }
    }
}
