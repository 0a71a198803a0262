using static Graphport.Torch;
using F = Graphport.Functional;

namespace Graphport.Tests.TensorApi;

/// <summary>
/// Grouped-query attention (fewer key/value heads than query heads, Llama's and Mistral's): with enable_gqa the result
/// is the attention over key and value heads repeated to meet the query's, on random inputs, with and without masks,
/// for one query row (a decoding step) and several. (A frozen module runs torch-made archives' repeat_kv attention
/// this way: Interop/TransformersArchivesTests.)
/// </summary>
public class GroupedQueryAttentionTests
{
    private static Tensor Repeated(Tensor kv, long groups) => Ops["aten::repeat_interleave.self_int"].CallTensor(kv, groups, -3L);

    public static TheoryData<string, long> Masks => new()
    {
        { "none", 1 }, { "none", 5 }, { "bool rows x keys", 5 }, { "float batch x 1 x rows x keys", 1 }, { "float batch x 1 x rows x keys", 5 },
        { "per head", 3 }, { "causal", 5 },
    };

    private static (Tensor? Mask, bool Causal) MaskOf(string kind, long batch, long heads, long rows, long keys) => kind switch
    {
        "none" => (null, false),
        "bool rows x keys" => (Rand(rows, keys) > 0.3, false),
        "float batch x 1 x rows x keys" => (Randn(batch, 1, rows, keys), false),
        "per head" => (Randn(batch, heads, rows, keys), false),
        "causal" => (null, true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Masks))]
    public void Enable_gqa_equals_attention_over_repeated_key_and_value_heads(string mask, long rows)
    {
        ManualSeed(81 + (ulong)rows + (ulong)mask.Length);
        long batch = 2, heads = 8, kvHeads = 2, keys = 7, width = 16;
        var q = Randn(batch, heads, rows, width);
        var k = Randn(batch, kvHeads, keys, width);
        var v = Randn(batch, kvHeads, keys, 12);
        var (m, causal) = MaskOf(mask, batch, heads, rows, keys);
        if (causal && rows > keys) return;

        var grouped = F.ScaledDotProductAttention(q, k, v, m, isCausal: causal, enableGqa: true);
        var expected = F.ScaledDotProductAttention(q, Repeated(k, heads / kvHeads), Repeated(v, heads / kvHeads), m, isCausal: causal);
        Assert.Equal(expected.Shape.ToLongs(), grouped.Shape.ToLongs());
        Assert.True((grouped - expected).Abs().Max().Item() < 1e-5, $"mask {mask}, {rows} rows: differs by {(grouped - expected).Abs().Max().Item()}");
    }
}
