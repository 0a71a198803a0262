using static Graphport.Tests.TensorApi.Reference;
using F = Graphport.Functional;

namespace Graphport.Tests.TensorApi;

/// <summary>
/// The ops torch's export keeps as single nodes and Graphport runs as compositions of core ops (einsum,
/// repeat_interleave, lerp, glu, cumprod, tensor_split, rot90, index_add, ...), from the C# API, against their
/// definitions computed here element by element in double, on random inputs; and an exported module that uses them
/// gives the eager values.
/// </summary>
public class ComposedOpTests
{
    [Fact]
    public void Repeat_interleave_repeats_each_element_in_place_along_dim_or_the_flattened_tensor()
    {
        var x = Random(1, [2, 3], DType.Float64);
        var v = Values(x);
        var along1 = x.RepeatInterleave(2, 1);
        AssertShape([2, 6], along1);
        AssertClose(Indices([2, 6]).Select(i => v[i[0] * 3 + i[1] / 2]).ToArray(), [2, 6], along1);
        var flat = x.RepeatInterleave(3);
        AssertClose(Enumerable.Range(0, 18).Select(i => v[i / 3]).ToArray(), [18], flat);
    }

    [Fact]
    public void Einsum_contracts_batches_takes_diagonals_and_forms_outer_products()
    {
        var a = Random(2, [3, 4, 5], DType.Float64);
        var b = Random(3, [3, 5, 2], DType.Float64);
        AssertClose(a.Matmul(b), Torch.Einsum("bij,bjk->bik", a, b), 1e-12, 1e-12);
        var m = Random(4, [4, 4], DType.Float64);
        var mv = Values(m);
        AssertClose(Enumerable.Range(0, 4).Select(i => mv[i * 4 + i]).ToArray(), [4], Torch.Einsum("ii->i", m));
        AssertClose(Enumerable.Range(0, 16).Select(i => mv[i / 4 * 4 + i / 4] * mv[i % 4 * 4 + i % 4]).ToArray(), [4, 4], Torch.Einsum("i,j->ij", m.Diag(), m.Diag()));
        var error = Assert.Throws<ArgumentException>(() => Torch.Einsum("ij,jk->ik", a, b));
        Assert.Contains("einsum()", error.Message);
    }

    [Fact]
    public void Lerp_is_exact_at_its_ends_and_the_weighted_sum_between()
    {
        var a = Random(5, [50], DType.Float32);
        var b = Random(6, [50], DType.Float32);
        Assert.Equal(b.ToArray<float>(), a.Lerp(b, 1.0).ToArray<float>());
        Assert.Equal(a.ToArray<float>(), a.Lerp(b, 0.0).ToArray<float>());
        var w = Random(7, [50], DType.Float32, 0, 1);
        double[] av = Values(a), bv = Values(b), wv = Values(w);
        AssertClose(Enumerable.Range(0, 50).Select(i => av[i] + wv[i] * (bv[i] - av[i])).ToArray(), [50], a.Lerp(b, w), 1e-5, 1e-6);
    }

    [Fact]
    public void Glu_mish_selu_and_the_shrinks_follow_their_formulas()
    {
        var x = Random(8, [4, 6], DType.Float64, -4, 4);
        var v = Values(x);
        double Sigmoid(double t) => 1 / (1 + Math.Exp(-t));
        AssertClose(Indices([4, 3]).Select(i => v[i[0] * 6 + i[1]] * Sigmoid(v[i[0] * 6 + i[1] + 3])).ToArray(), [4, 3], F.Glu(x), 1e-12, 1e-12);
        AssertClose(v.Select(t => t * Math.Tanh(Math.Log(1 + Math.Exp(t)))).ToArray(), [4, 6], F.Mish(x), 1e-12, 1e-12);
        const double alpha = 1.6732632423543772, scale = 1.0507009873554805;
        AssertClose(v.Select(t => scale * (t > 0 ? t : alpha * (Math.Exp(t) - 1))).ToArray(), [4, 6], F.Selu(x), 1e-12, 1e-12);
        AssertClose(v.Select(t => Math.Abs(t) > 0.5 ? t : 0).ToArray(), [4, 6], F.Hardshrink(x));
        AssertClose(v.Select(t => t > 0.5 ? t - 0.5 : t < -0.5 ? t + 0.5 : 0).ToArray(), [4, 6], F.Softshrink(x));
        AssertClose(v.Select(t => Math.Min(t, 0) - Math.Log(1 + Math.Exp(-Math.Abs(t)))).ToArray(), [4, 6], F.LogSigmoid(x), 1e-12, 1e-12);
        var odd = Assert.Throws<ArgumentException>(() => F.Glu(Random(9, [3, 5])));
        Assert.Contains("must be even", odd.Message);
    }

    [Fact]
    public void Cumprod_is_the_running_product_through_zeros_and_negatives_and_widens_integers()
    {
        var x = Random(10, [3, 7], DType.Float64, -2, 2);
        var v = Values(x);
        v[9] = 0;
        x = Tensor.FromArray(v, 3, 7);
        var expected = new double[21];
        for (int r = 0; r < 3; r++)
        {
            double p = 1;
            for (int c = 0; c < 7; c++) expected[r * 7 + c] = p *= v[r * 7 + c];
        }
        AssertClose(expected, [3, 7], x.Cumprod(1), 1e-12, 1e-15);
        var ints = RandomInts(11, [5], -3, 4, DType.Int32);
        var product = ints.Cumprod(0);
        Assert.Equal(DType.Int64, product.DType);
        long running = 1;
        Assert.Equal(ints.ToArray<long>().Select(i => running *= i).ToArray(), product.ToArray<long>());
    }

    [Fact]
    public void Tensor_split_rot90_movedim_and_index_add_rearrange_as_numpy_does()
    {
        var x = Random(12, [8, 3], DType.Float64);
        Assert.Equal([3L, 3, 2], x.TensorSplit(3).Select(p => p.Shape.ToLongs()[0]));
        Assert.Equal([1L, 3, 4], x.TensorSplit([1, 4]).Select(p => p.Shape.ToLongs()[0]));
        var m = Random(13, [2, 3], DType.Float64);
        var mv = Values(m);
        // One quarter turn counter-clockwise: row i of the result is column (last - i) of m.
        AssertClose(Indices([3, 2]).Select(i => mv[i[1] * 3 + (2 - i[0])]).ToArray(), [3, 2], m.Rot90());
        Assert.Equal([4L, 2, 3], Random(14, [2, 3, 4]).Movedim(2, 0).Shape.ToLongs());
        var target = Torch.Zeros(4, 2).To(DType.Float64);
        var source = Random(15, [3, 2], DType.Float64);
        var added = target.IndexAdd(0, Tensor.FromArray(new long[] { 1, 3, 1 }, 3), source, alpha: 2);
        var s = Values(source);
        AssertClose([0, 0, 2 * (s[0] + s[4]), 2 * (s[1] + s[5]), 0, 0, 2 * s[2], 2 * s[3]], [4, 2], added);
    }

    [Fact]
    public void Nan_to_num_cosine_similarity_and_var_mean_give_their_definitions()
    {
        var x = Tensor.FromArray(new[] { 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity }, 4);
        Assert.Equal([1f, 0f, float.MaxValue, float.MinValue], x.NanToNum().ToArray<float>());
        Assert.Equal([1f, 2f, 3f, -3f], x.NanToNum(2, 3, -3).ToArray<float>());

        var a = Random(16, [4, 6], DType.Float64);
        var b = Random(17, [4, 6], DType.Float64);
        double[] av = Values(a), bv = Values(b);
        var cosine = Enumerable.Range(0, 4).Select(r =>
        {
            double dot = 0, na = 0, nb = 0;
            for (int c = 0; c < 6; c++) (dot, na, nb) = (dot + av[r * 6 + c] * bv[r * 6 + c], na + av[r * 6 + c] * av[r * 6 + c], nb + bv[r * 6 + c] * bv[r * 6 + c]);
            return dot / Math.Sqrt(na) / Math.Sqrt(nb);
        }).ToArray();
        AssertClose(cosine, [4], F.CosineSimilarity(a, b, dim: 1), 1e-12, 1e-12);

        var (variance, mean) = a.VarMean([1]);
        AssertClose(a.Var([1]), variance, 1e-12, 1e-12);
        AssertClose(a.Mean(new long[] { 1 }), mean, 1e-12, 1e-12);
    }

    private sealed class UsesComposedOps : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor q, Tensor k) =>
            F.Softmax(Torch.Einsum("bhqd,bhkd->bhqk", q, k.RepeatInterleave(2, 1)), -1).Cumprod(-1).Lerp(q.NewOnes([1]), 0.25) + F.Glu(q, -1).Sum();
    }

    [Fact]
    public void An_exported_module_using_them_holds_core_ops_and_gives_the_eager_values()
    {
        var q = Random(18, [2, 4, 3, 6]);
        var k = Random(19, [2, 2, 3, 6]);
        var module = new UsesComposedOps();
        var eager = module.Forward(q, k);
        var program = Torch.Export(module, [q, k]);
        Assert.DoesNotContain("einsum", program.ToString());
        AssertClose(eager, program.Module().Call(q, k), 1e-6, 1e-6);
    }

    [Fact]
    public void Weight_norm_scales_each_slice_along_dim_to_its_gain()
    {
        // v [4, 3, 5] normalized along dim 2 (wav2vec2's positional convolution) and dim 0; g holds a gain per slice.
        var v = Random(40, [4, 3, 5], DType.Float64);
        double[] vv = Values(v);
        foreach (long dim in new long[] { 2, 0, -1 })
        {
            long[] gShape = dim switch { 2 => [1, 1, 5], 0 => [4, 1, 1], _ => [] };
            var g = Random(41, gShape, DType.Float64, 0.5, 2);
            double[] gv = Values(g);
            var w = Aten.Call(Aten.WeightNorm, v, g, dim);
            AssertShape([4, 3, 5], w);
            long Slice(long[] i) => dim switch { 2 => i[2], 0 => i[0], _ => 0 };
            var norms = new double[5];
            foreach (var i in Indices([4, 3, 5])) norms[Slice(i)] += vv[Flat([4, 3, 5], i)] * vv[Flat([4, 3, 5], i)];
            AssertClose(Indices([4, 3, 5]).Select(i => gv[Slice(i)] * vv[Flat([4, 3, 5], i)] / Math.Sqrt(norms[Slice(i)])).ToArray(), [4, 3, 5], w, 1e-12, 1e-12);
        }
        // A vector normalized along its only dim: each element is its own slice, so w = g · sign(v).
        var x = Random(42, [6], DType.Float64);
        var gains = Random(43, [6], DType.Float64, 0.5, 2);
        AssertClose(Values(x).Zip(Values(gains), (a, b) => b * Math.Sign(a)).ToArray(), [6], Aten.Call(Aten.WeightNorm, x, gains, 0L), 1e-12, 1e-12);
        var error = Assert.Throws<ArgumentException>(() => Aten.Call(Aten.NormExceptDim, v, 2L, 3L));
        Assert.Contains("dim 3 is out of range", error.Message);
    }
}
