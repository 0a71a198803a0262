using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>ScaledDotProductAttention against softmax(q·kᵀ·scale + mask)·v computed row by row.</summary>
public class AttentionKernelTests
{
    /// <summary>q [B, H, L, D], k [B, H, S, D], v [B, H, S, E]; mask(l, s) gives an additive bias (−∞ to block).</summary>
    private static double[] Attention(Tensor q, Tensor k, Tensor v, double scale, Func<long, long, double> mask)
    {
        var (qs, ks, vs) = (Sizes(q), Sizes(k), Sizes(v));
        var (qv, kv, vv) = (Values(q), Values(k), Values(v));
        long bh = qs[0] * qs[1], l = qs[2], d = qs[3], s = ks[2], e = vs[3];
        var output = new double[bh * l * e];
        for (long b = 0; b < bh; b++)
            for (long i = 0; i < l; i++)
            {
                var scores = new double[s];
                for (long j = 0; j < s; j++)
                {
                    double dot = 0;
                    for (long t = 0; t < d; t++) dot += qv[(b * l + i) * d + t] * kv[(b * s + j) * d + t];
                    scores[j] = dot * scale + mask(i, j);
                }
                double max = scores.Max();
                var weights = scores.Select(x => Math.Exp(x - max)).ToArray();
                double sum = weights.Sum();
                for (long c = 0; c < e; c++)
                {
                    double acc = 0;
                    for (long j = 0; j < s; j++) acc += weights[j] / sum * vv[(b * s + j) * e + c];
                    output[(b * l + i) * e + c] = acc;
                }
            }
        return output;
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Unmasked_attention_with_the_default_scale(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        var q = Reference.Random(1, [2, 3, 4, 8], dtype);
        var k = Reference.Random(2, [2, 3, 6, 8], dtype);
        var v = Reference.Random(3, [2, 3, 6, 5], dtype);
        var expected = Attention(q, k, v, 1 / Math.Sqrt(8), (_, _) => 0);
        AssertClose(expected, [2, 3, 4, 5], Functional.ScaledDotProductAttention(q, k, v), rtol * 10, atol * 10, dtype);
    }

    [Fact]
    public void Causal_attention_lets_each_query_see_only_earlier_keys()
    {
        var q = Reference.Random(4, [1, 2, 5, 4], DType.Float64);
        var k = Reference.Random(5, [1, 2, 5, 4], DType.Float64);
        var v = Reference.Random(6, [1, 2, 5, 3], DType.Float64);
        var expected = Attention(q, k, v, 0.5, (i, j) => j > i ? double.NegativeInfinity : 0);
        AssertClose(expected, [1, 2, 5, 3], Functional.ScaledDotProductAttention(q, k, v, isCausal: true), 1e-10, 1e-12);
        // The first query attends only to the first key: its output is the first value row.
        AssertClose(Values(v[0, .., 0]), [2, 3], Functional.ScaledDotProductAttention(q, k, v, isCausal: true)[0, .., 0], 1e-12, 1e-12);
    }

    [Fact]
    public void Bool_masks_select_keys_and_float_masks_are_added()
    {
        var q = Reference.Random(7, [1, 1, 3, 4], DType.Float64);
        var k = Reference.Random(8, [1, 1, 4, 4], DType.Float64);
        var v = Reference.Random(9, [1, 1, 4, 2], DType.Float64);
        var allowed = new bool[,] { { true, false, true, true }, { true, true, false, false }, { false, false, false, true } };
        var boolMask = Torch.Tensor(allowed);
        var expected = Attention(q, k, v, 0.5, (i, j) => allowed[i, j] ? 0 : double.NegativeInfinity);
        AssertClose(expected, [1, 1, 3, 2], Functional.ScaledDotProductAttention(q, k, v, boolMask), 1e-10, 1e-12);

        var bias = Reference.Random(10, [3, 4], DType.Float64);
        var bv = Values(bias);
        var expectedBias = Attention(q, k, v, 0.3, (i, j) => bv[i * 4 + j]);
        AssertClose(expectedBias, [1, 1, 3, 2], Functional.ScaledDotProductAttention(q, k, v, bias, scale: 0.3), 1e-10, 1e-12);
    }

    [Fact]
    public void Attention_works_on_three_dim_inputs()
    {
        var q = Reference.Random(11, [2, 3, 4]);
        var k = Reference.Random(12, [2, 5, 4]);
        var v = Reference.Random(13, [2, 5, 6]);
        var expected = Attention(q.Unsqueeze(1), k.Unsqueeze(1), v.Unsqueeze(1), 0.5, (_, _) => 0);
        AssertClose(expected, [2, 3, 6], Functional.ScaledDotProductAttention(q, k, v), 1e-4, 1e-5);
    }
}
