namespace Graphport.Tests.Shared;

/// <summary>
/// A static key/value cache in miniature: each call writes its rows at the given positions (index_copy_ along the
/// sequence, as transformers' StaticCache does) and reads the whole cache back; with <paramref name="readsOldValue"/>
/// it also reads the cache as it was before the write, which forbids updating it in place. Shared by the CPU
/// (frozen module) and CUDA planner tests of in-place state updates.
/// </summary>
internal sealed class TokenCache(bool readsOldValue) : Module<Tensor, Tensor, Tensor>
{
    private readonly Buffer cache = new(Torch.Zeros([2, 16, 6]), persistent: false);

    public override Tensor Forward(Tensor rows, Tensor at)
    {
        // A pointwise read of the old value, which a fusing planner computes lazily inside a later kernel.
        var before = readsOldValue ? cache * 2.0 : null;
        Torch.Ops["aten::index_copy_"].CallTensor(cache, 1L, at, rows);
        var result = cache * 1.5 + 1.0;
        return before is null ? result : result + before;
    }

    /// <summary>A token's rows (random) and its position.</summary>
    public static object?[] Token(long position) => [Torch.Randn(2, 1, 6), Tensor.FromArray(new[] { position }, 1)];
}
