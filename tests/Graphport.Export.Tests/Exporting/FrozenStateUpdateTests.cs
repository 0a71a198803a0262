using Graphport.Tests.Shared;
using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

/// <summary>
/// A decomposed program that updates a buffer at a few positions (a static key/value cache: index_put and
/// functionalization's copies into the buffer) runs frozen as an update of the module's state tensor itself, with no
/// copy of the whole cache into a new value and back; where the old value is also read, the update goes to a copy.
/// Either way each token reads what the earlier tokens wrote, as the graph as written computes it.
/// </summary>
public class FrozenStateUpdateTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Each_token_reads_the_cache_every_earlier_token_wrote(bool readsOldValue)
    {
        ManualSeed(101);
        var core = Export(new TokenCache(readsOldValue), TokenCache.Token(0), strict: false).RunDecompositions();
        var frozen = core.Module().Freeze();
        var plain = core.Module();
        foreach (var position in new long[] { 0, 3, 1, 15 })
        {
            var token = TokenCache.Token(position);
            var difference = (frozen.Call(token) - plain.Call(token)).Abs().Max().Item();
            Assert.True(difference == 0, $"token at {position}: frozen differs from the graph as written by {difference}");
        }
        Assert.Equal(plain.StateDict["cache"].ToArray<float>(), frozen.StateDict["cache"].ToArray<float>());
        var roles = frozen.Profile(TokenCache.Token(7)).Nodes.Select(n => n.Frozen).ToList();
        Assert.Equal(!readsOldValue, roles.Contains("frozen: buffer update written into the buffer itself"));
    }
}
