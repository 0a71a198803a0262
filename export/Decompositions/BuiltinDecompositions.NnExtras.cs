using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Decompositions of the torch.nn ops of Aten.NnExtras.cs, after torch/_refs and torch/_decomp: roll → index_select of
/// fmod(arange + start), pixel_(un)shuffle → view/permute/reshape, adaptive_max_pool2d → max_pool2d_with_indices
/// (evenly divisible) or a gather of padded windows with max.dim (BuiltinDecompositions.PoolingIndices.cs),
/// adaptive_max_pool1d → the 2-D op, upsample_bicubic2d
/// → sixteen clamped index loads weighted by the cubic coefficients, linalg_vector_norm → abs/pow/sum/amax/amin, and
/// embedding_bag → _embedding_bag (ATen's CompositeImplicitAutograd body).
/// </summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterNnExtras()
    {
        Register("aten::roll", a => RollDecomposition(T(a[0]), Aten.Ss(a[1]), Aten.Ls(a[2])));
        Register("aten::pixel_shuffle", a => PixelShuffleDecomposition(T(a[0]), Aten.L(a[1]), unshuffle: false));
        Register("aten::pixel_unshuffle", a => PixelShuffleDecomposition(T(a[0]), Aten.L(a[1]), unshuffle: true));
        Register("aten::adaptive_max_pool2d", a => AdaptiveMaxPoolDecomposition(T(a[0]), Aten.Ls(a[1])));
        Register("aten::adaptive_max_pool1d", a =>
        {
            var r = Aten.CallMulti(Aten.AdaptiveMaxPool2d, Aten.Call(Aten.Unsqueeze, a[0], -2L), new long[] { 1, Aten.Ls(a[1])[0] });
            return new[] { Aten.Call(Aten.SqueezeDim, r[0], -2L), Aten.Call(Aten.SqueezeDim, r[1], -2L) };
        });
        Register("aten::upsample_bicubic2d.vec", UpsampleBicubic2dDecomposition);
        Register("aten::linalg_vector_norm", VectorNormDecomposition);
        Register("aten::embedding_bag.padding_idx", a => Aten.CallMulti(Aten.EmbeddingBag, Aten.EmbeddingBagCoreArgs(a)));
        Register("aten::embedding_bag", a => Aten.CallMulti(Aten.EmbeddingBag, Aten.EmbeddingBagCoreArgs(a)));
    }

    private static Tensor RollDecomposition(Tensor a, SymInt[] shifts, long[] dimsArg)
    {
        var (s, dims) = Aten.RollArgs(a, shifts, dimsArg.Select(d => (SymInt)d).ToArray());
        if (a.Shape.Any(d => d.AsConstant == 0)) return Aten.Call(Aten.Clone, a);
        if (dims.Length == 0)
        {
            var flat = Aten.Call(Aten.Reshape, a, new SymInt[] { -1 });
            return Aten.Call(Aten.View, RollDecomposition(flat, s, [0]), a.Shape.AsArray());
        }
        if (dims.Length > 1)
            return RollDecomposition(RollDecomposition(a, [s[0]], [dims[0]]), s[1..], dims[1..].Select(d => (long)d).ToArray());
        int dim = dims[0];
        var size = a.Shape[dim];
        // start = (size − shift) mod size (Python's modulo: non-negative).
        SymInt start = size.AsConstant is long n && s[0].AsConstant is long shift ? ((n - shift) % n + n) % n : (size - s[0]) % size;
        var idx = Aten.Call(Aten.ArangeStartStep, 0L, size, 1L);
        return Aten.Call(Aten.IndexSelect, a, (long)dim, Aten.Call(Aten.FmodScalar, Aten.Call(Aten.Add, idx, start), size));
    }

    private static SymInt[] Sizes(IEnumerable<SymInt> lead, params SymInt[] rest) => [.. lead, .. rest];

    private static Tensor PixelShuffleDecomposition(Tensor x, long r, bool unshuffle)
    {
        int n = x.Ndim - 3;
        var batch = x.Shape.Take(n).ToArray();
        SymInt c = x.Shape[n], h = x.Shape[n + 1], w = x.Shape[n + 2];
        var batchDims = Enumerable.Range(0, n).Select(d => (long)d);
        if (!unshuffle)
        {
            var split = Aten.Call(Aten.Reshape, x, Sizes(batch, c / (r * r), r, r, h, w));
            var moved = Aten.Call(Aten.Permute, split, batchDims.Concat([n, n + 3, n + 1, n + 4, n + 2]).ToArray());
            return Aten.Call(Aten.Reshape, moved, Sizes(batch, c / (r * r), h * r, w * r));
        }
        var parts = Aten.Call(Aten.Reshape, x, Sizes(batch, c, h / r, r, w / r, r));
        var back = Aten.Call(Aten.Permute, parts, batchDims.Concat([n, n + 2, n + 4, n + 1, n + 3]).ToArray());
        return Aten.Call(Aten.Reshape, back, Sizes(batch, c * r * r, h / r, w / r));
    }

    /// <summary>
    /// torch's upsample_bicubic2d_default: source coordinates from arange, floor and the fraction (clamped to [0, 1]),
    /// the four cubic weights per axis (A = −0.75), and 4×4 loads with indices clamped to the border.
    /// </summary>
    private static object? UpsampleBicubic2dDecomposition(object?[] a)
    {
        var input = T(a[0]);
        bool align = Aten.B(a[2]);
        var outShape = Aten.UpsampleBicubic2dShape(a);
        double[]? scales = a[3] as double[];
        // Half precision computes in float32, as torch's pw_cast_for_opmath does.
        var dtype = input.DType is DType.Float16 or DType.BFloat16 ? DType.Float32 : input.DType;
        var x = input.DType == dtype ? input : Aten.CallKw(Aten.ToCopy, [input], ("dtype", dtype));
        long inH = (long)input.Shape[2], inW = (long)input.Shape[3];

        (Tensor Index, Tensor[] Weights) Axis(long inSize, SymInt outSize, double? scale)
        {
            long outLong = (long)outSize;
            double s = align ? (outLong > 1 ? (inSize - 1.0) / (outLong - 1.0) : 0) : scale is double sc && sc > 0 ? 1.0 / sc : (double)inSize / outLong;
            var dst = Aten.CallKw(Aten.ToCopy, [Aten.Call(Aten.ArangeStartStep, 0L, outSize, 1L)], ("dtype", dtype));
            var real = align ? Aten.Call(Aten.MulScalar, dst, s) : Aten.Call(Aten.SubScalar, Aten.Call(Aten.MulScalar, Aten.Call(Aten.AddScalar, dst, 0.5), s), 0.5);
            var floor = Aten.Call(Aten.Floor, real);
            var t = Aten.Call(Aten.Clamp, Aten.Call(Aten.Sub, real, floor), 0.0, 1.0);
            var index = Aten.CallKw(Aten.ToCopy, [floor], ("dtype", DType.Int64));
            const double A = -0.75;
            // cubic_convolution1(x) = ((A + 2)·x − (A + 3))·x·x + 1; cubic_convolution2(x) = ((A·x − 5A)·x + 8A)·x − 4A
            Tensor Conv1(Tensor v) => Aten.Call(Aten.AddScalar, Aten.Call(Aten.Mul, Aten.Call(Aten.Mul, Aten.Call(Aten.SubScalar, Aten.Call(Aten.MulScalar, v, A + 2), A + 3), v), v), 1.0);
            Tensor Conv2(Tensor v) => Aten.Call(Aten.SubScalar, Aten.Call(Aten.Mul, Aten.Call(Aten.AddScalar, Aten.Call(Aten.Mul, Aten.Call(Aten.SubScalar, Aten.Call(Aten.MulScalar, v, A), 5 * A), v), 8 * A), v), 4 * A);
            var oneMinus = Aten.Call(Aten.AddScalar, Aten.Call(Aten.MulScalar, t, -1.0), 1.0);
            return (index, [Conv2(Aten.Call(Aten.AddScalar, t, 1.0)), Conv1(t), Conv1(oneMinus), Conv2(Aten.Call(Aten.AddScalar, oneMinus, 1.0))]);
        }

        var (y, wy) = Axis(inH, outShape[2], scales?[0]);
        var (xi, wx) = Axis(inW, outShape[3], scales?[1]);
        y = Aten.Call(Aten.Unsqueeze, y, -1L);
        wy = wy.Select(v => Aten.Call(Aten.Unsqueeze, v, -1L)).ToArray();
        Tensor? result = null;
        for (int i = 0; i < 4; i++)
        {
            var rowIndex = Aten.Call(Aten.Clamp, Aten.Call(Aten.AddScalar, y, (long)(i - 1)), 0L, inH - 1);
            Tensor? row = null;
            for (int j = 0; j < 4; j++)
            {
                var colIndex = Aten.Call(Aten.Clamp, Aten.Call(Aten.AddScalar, xi, (long)(j - 1)), 0L, inW - 1);
                var term = Aten.Call(Aten.Mul, Aten.Call(Aten.IndexTensor, x, new Tensor?[] { null, null, rowIndex, colIndex }), wx[j]);
                row = row is null ? term : Aten.Call(Aten.Add, row, term);
            }
            var weighted = Aten.Call(Aten.Mul, row!, wy[i]);
            result = result is null ? weighted : Aten.Call(Aten.Add, result, weighted);
        }
        return result!.DType == input.DType ? result : Aten.CallKw(Aten.ToCopy, [result], ("dtype", input.DType));
    }

    /// <summary>torch._refs.linalg.vector_norm: sum of (x != 0) for ord 0, amax/amin of |x| for ±inf, else (Σ|x|^p)^(1/p).</summary>
    private static object? VectorNormDecomposition(object?[] a)
    {
        var x = T(a[0]);
        var result = Aten.VectorNormDType(x, a[4]);
        double ord = Aten.D(a[1]);
        bool keepdim = Aten.B(a[3]);
        var dims = Aten.ReducedDims(x, a[2]).Select(d => (long)d).ToArray();
        Tensor ToResult(Tensor t) => t.DType == result ? t : Aten.CallKw(Aten.ToCopy, [t], ("dtype", result));
        if (ord == 0)
            return Aten.CallKw(Aten.SumDim, [Aten.Call(Aten.NeScalar, x, 0.0), dims, keepdim], ("dtype", result));
        if (double.IsPositiveInfinity(ord)) return ToResult(Aten.Call(Aten.Amax, Aten.Call(Aten.Abs, x), dims, keepdim));
        if (double.IsNegativeInfinity(ord)) return ToResult(Aten.Call(Aten.Amin, Aten.Call(Aten.Abs, x), dims, keepdim));
        // The computation dtype: float32 for half precision results, else the result dtype.
        var compute = result is DType.Float16 or DType.BFloat16 ? DType.Float32 : result;
        var v = x.DType == compute ? x : Aten.CallKw(Aten.ToCopy, [x], ("dtype", compute));
        bool even = ord % 2 == 0;
        if (!even) v = Aten.Call(Aten.Abs, v);
        object exponent = ord == Math.Floor(ord) && Math.Abs(ord) < 1e15 ? (object)(long)ord : ord;
        var sum = Aten.Call(Aten.SumDim, Aten.Call(Aten.PowTensorScalar, v, exponent), dims, keepdim);
        return ToResult(Aten.Call(Aten.PowTensorScalar, sum, 1.0 / ord));
    }
}
