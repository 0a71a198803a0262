using Graphport.Cpu;
using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Grouped matrix products, the mixture-of-experts layer's: tokens sorted by expert, each expert's run of rows
/// multiplied by that expert's weight, with the groups given by their cumulative ends (offs).
/// <list type="bullet">
/// <item><c>aten::_grouped_mm</c> (torch.nn.functional.grouped_mm): a 2-D (rows, k) by 3-D (groups, k, n) product
/// groups rows; 3-D by 2-D groups the columns of the output; 2-D by 2-D groups the inner dimension (one product per
/// group, stacked); 3-D by 3-D is a batched product without offsets. Not a core op: decomposed into a batched product
/// of every group with every row and a gather of each row's own group (<see cref="GroupedMmDecomposition"/>), exact,
/// at the cost of computing every group.</item>
/// <item><c>transformers::grouped_mm_fallback</c>: the custom op Hugging Face transformers records instead of
/// _grouped_mm where torch's is unavailable or refuses the dtype (float32 mixture-of-experts models exported on the
/// CPU: Mixtral, Qwen-MoE, OLMoE, ...), the rows-by-groups case with int32 or int64 ends and zeros after the last.
/// Built in so that such archives load; like any custom op it stays one node through RunDecompositions.</item>
/// </list>
/// Rows (or columns, or inner positions) from one end to the next belong to that group; past the last end the
/// output is zero (torch leaves it unwritten). Ends must not decrease.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload GroupedMm = Def("_grouped_mm(Tensor self, Tensor mat2, Tensor? offs=None, Tensor? bias=None, ScalarType? out_dtype=None) -> Tensor",
        meta: a => new TensorMeta(GroupedMmOutDType(T0(a), a[4] as DType?), GroupedMmShape(T0(a), Tn(a, 1), a[2] as Tensor, a[3] as Tensor)),
        kernel: a => GroupedMmKernel(T0(a), Tn(a, 1), a[2] as Tensor, GroupedMmOutDType(T0(a), a[4] as DType?)));

    public static readonly OpOverload TransformersGroupedMmFallback = Def("grouped_mm_fallback(Tensor input, Tensor weight, Tensor offs) -> Tensor",
        meta: a =>
        {
            Tensor input = T0(a), weight = Tn(a, 1), offs = Tn(a, 2);
            if (input.Ndim != 2) throw new ArgumentException($"transformers::grouped_mm_fallback: input must be 2D (S, input_dim), got {input.Ndim}-D");
            if (weight.Ndim != 3) throw new ArgumentException($"transformers::grouped_mm_fallback: weight must be 3D (num_experts, input_dim, output_dim), got {weight.Ndim}-D");
            if (offs.Ndim != 1) throw new ArgumentException($"transformers::grouped_mm_fallback: offs must be 1D (num_experts,), got {offs.Ndim}-D");
            if (!(offs.Shape[0] == weight.Shape[0]))
                throw new ArgumentException($"transformers::grouped_mm_fallback: offs length {offs.Shape[0].Hint} must match number of experts {weight.Shape[0].Hint}");
            if (!(input.Shape[1] == weight.Shape[1]))
                throw new ArgumentException($"transformers::grouped_mm_fallback: input_dim mismatch: input has {input.Shape[1].Hint}, weight has {weight.Shape[1].Hint}");
            if (offs.DType is not (DType.Int32 or DType.Int64))
                throw new ArgumentException($"transformers::grouped_mm_fallback: offs must be an integer tensor, got {DTypeNames.Capitalized(offs.DType)}");
            SameDType("transformers::grouped_mm_fallback", input, weight);
            return new TensorMeta(input.DType, [input.Shape[0], weight.Shape[2]]);
        },
        kernel: a => GroupedMmKernel(T0(a), Tn(a, 1), Tn(a, 2), T0(a).DType), ns: "transformers");

    private static DType GroupedMmOutDType(Tensor self, DType? outDType)
    {
        if (outDType is not { } o || o == self.DType) return self.DType;
        throw new ArgumentException($"Grouped gemm output dtype must match `mat_a` dtype: asked for {DTypeNames.Capitalized(o)} with {DTypeNames.Capitalized(self.DType)} operands; convert the result afterwards.");
    }

    /// <summary>torch's checks of _grouped_mm's operands, and the output's shape for each pairing of 2-D and 3-D operands.</summary>
    private static SymInt[] GroupedMmShape(Tensor a, Tensor b, Tensor? offs, Tensor? bias)
    {
        if (bias is not null) throw new NotSupportedException("_grouped_mm: Bias not supported yet (torch's neither); add the bias after the product.");
        if (a.DType is not (DType.Float32 or DType.BFloat16 or DType.Float16))
            throw new ArgumentException($"Expected mat_a to be Float32, BFloat16 or Float16 matrix, got {DTypeNames.Capitalized(a.DType)}");
        SameDType("_grouped_mm", a, b);
        if (a.Ndim is not (2 or 3)) throw new ArgumentException($"_grouped_mm: mat_a must be 2-D or 3-D, got {a.Ndim}-D");
        if (b.Ndim is not (2 or 3)) throw new ArgumentException($"_grouped_mm: mat_b must be 2-D or 3-D, got {b.Ndim}-D");
        bool bothBatched = a.Ndim == 3 && b.Ndim == 3;
        if (bothBatched != offs is null)
            throw new ArgumentException("Have to provide offsets if there is a 2d matrix, or no offset if both matrices are 3d");
        if (offs is not null)
        {
            if (offs.Ndim != 1) throw new ArgumentException("offs has to be 1D");
            if (offs.DType != DType.Int32) throw new ArgumentException($"Offsets have to be int32, got {DTypeNames.Capitalized(offs.DType)}");
        }
        if (!(a.Shape[^1] == b.Shape[b.Ndim == 3 ? 1 : 0]))
            throw new ArgumentException($"contraction dimension of mat_a and mat_b must match ({a.Shape[^1].Hint} and {b.Shape[b.Ndim == 3 ? 1 : 0].Hint})");
        if (bothBatched && !(a.Shape[0] == b.Shape[0])) throw new ArgumentException("batched dimension has to match");
        SymInt groupCount = offs is null ? 0 : offs.Shape[0];
        if (a.Ndim == 2 && b.Ndim == 3 && !(groupCount == b.Shape[0]))
            throw new ArgumentException($"_grouped_mm: offs has {groupCount.Hint} group ends for the {b.Shape[0].Hint} matrices of mat_b");
        if (a.Ndim == 3 && b.Ndim == 2 && !(groupCount == a.Shape[0]))
            throw new ArgumentException($"_grouped_mm: offs has {groupCount.Hint} group ends for the {a.Shape[0].Hint} matrices of mat_a");
        return (a.Ndim, b.Ndim) switch
        {
            (2, 3) => [a.Shape[0], b.Shape[2]],
            (3, 2) => [a.Shape[1], b.Shape[1]],
            (2, 2) => [groupCount, a.Shape[0], b.Shape[1]],
            _ => [a.Shape[0], a.Shape[1], b.Shape[2]],
        };
    }

    /// <summary>Each group's end clamped to [its start, limit]; ends that decrease are refused (they name no rows).</summary>
    private static long[] GroupEnds(Tensor offs, long limit)
    {
        var ends = Eager.Dense<long>(offs);
        var clamped = new long[ends.Length];
        long start = 0;
        for (int g = 0; g < ends.Length; g++)
        {
            if (ends[g] < (g == 0 ? 0 : ends[g - 1]))
                throw new ArgumentException($"_grouped_mm: offs must hold the cumulative ends of the groups, non-negative and never decreasing, but got [{string.Join(", ", ends)}]");
            start = clamped[g] = Math.Clamp(ends[g], start, limit);
        }
        return clamped;
    }

    private static Tensor GroupedMmKernel(Tensor a, Tensor b, Tensor? offs, DType outDType)
    {
        var ad = Eager.Dense<float>(a);
        var bd = Eager.Dense<float>(b);
        long[] shape = a.Ndim == 2 && b.Ndim == 3 ? [a.Sizes[0], b.Sizes[2]]
            : a.Ndim == 3 && b.Ndim == 2 ? [a.Sizes[1], b.Sizes[1]]
            : a.Ndim == 2 ? [offs!.Sizes[0], a.Sizes[0], b.Sizes[1]]
            : [a.Sizes[0], a.Sizes[1], b.Sizes[2]];
        var c = new float[shape.Aggregate(1L, (x, y) => x * y)];
        switch (a.Ndim, b.Ndim)
        {
            case (2, 3):
            {
                // Rows [start, end) times mat_b[g].
                int k = (int)a.Sizes[1], n = (int)b.Sizes[2];
                long start = 0, g = 0;
                foreach (var end in GroupEnds(offs!, a.Sizes[0]))
                {
                    int rows = (int)(end - start);
                    if (rows > 0 && n > 0)
                        Gemm.Compute(false, false, rows, n, k, 1f, ad.AsSpan((int)(start * k)), Math.Max(k, 1),
                            bd.AsSpan((int)(g * k * n)), Math.Max(n, 1), 0f, c.AsSpan((int)(start * n)), n, "_grouped_mm");
                    start = end;
                    g++;
                }
                break;
            }
            case (3, 2):
            {
                // mat_a[g] times columns [start, end) of mat_b, into the same columns of the output.
                int m = (int)a.Sizes[1], k = (int)a.Sizes[2], n = (int)b.Sizes[1];
                long start = 0, g = 0;
                foreach (var end in GroupEnds(offs!, n))
                {
                    int cols = (int)(end - start);
                    if (cols > 0 && m > 0)
                        Gemm.Compute(false, false, m, cols, k, 1f, ad.AsSpan((int)(g * m * k)), Math.Max(k, 1),
                            bd.AsSpan((int)start), n, 0f, c.AsSpan((int)start), n, "_grouped_mm");
                    start = end;
                    g++;
                }
                break;
            }
            case (2, 2):
            {
                // Inner positions [start, end): the g-th product sums over those only.
                int m = (int)a.Sizes[0], k = (int)a.Sizes[1], n = (int)b.Sizes[1];
                long start = 0, g = 0;
                foreach (var end in GroupEnds(offs!, k))
                {
                    int inner = (int)(end - start);
                    if (inner > 0 && m > 0 && n > 0)
                        Gemm.Compute(false, false, m, n, inner, 1f, ad.AsSpan((int)start), k,
                            bd.AsSpan((int)(start * n)), n, 0f, c.AsSpan((int)(g * m * n)), n, "_grouped_mm");
                    start = end;
                    g++;
                }
                break;
            }
            default:
            {
                int batch = (int)a.Sizes[0], m = (int)a.Sizes[1], k = (int)a.Sizes[2], n = (int)b.Sizes[2];
                if (batch > 0 && m > 0 && n > 0)
                    Gemm.Batched(false, false, batch, m, n, k, 1f, ad, (long)m * k, Math.Max(k, 1), bd, (long)k * n, Math.Max(n, 1), 0f, c, (long)m * n, n);
                break;
            }
        }
        return Eager.Wrap(c, shape, outDType);
    }

    /// <summary>
    /// _grouped_mm in core ops. Each position's group is the number of ends at or below it; every group's product is
    /// computed (a bmm over the groups) and each row (or column) gathers its own group's, so no value of another
    /// group reaches it, NaN included; positions past the last end are zero. The inner-dimension case keeps each
    /// group's inner positions with where and sums over the rest as zeros.
    /// </summary>
    internal static Tensor GroupedMmDecomposition(object?[] a)
    {
        Tensor x = T0(a), w = Tn(a, 1);
        var offs = a[2] as Tensor;
        if (offs is null) return Call(Bmm, x, w);
        var ends = Call(Unsqueeze, CallKw(ToCopy, [offs], ("dtype", DType.Int64)), 0L);
        // For n positions: (n,) group of each, and whether it lies before the last end.
        (Tensor Group, Tensor Inside) GroupOf(SymInt n, SymInt groups)
        {
            var position = Call(Unsqueeze, CallKw(Arange, [n], ("dtype", DType.Int64)), 1L);
            var group = Call(SumDim, Call(LeTensor, ends, position), new long[] { 1 }, false);
            var inside = Call(LtScalar, group, groups);
            return (Call(Clamp, group, null, groups - 1), inside);
        }
        var zero = CallKw(Full, [Array.Empty<SymInt>(), 0.0], ("dtype", x.DType));
        switch (x.Ndim, w.Ndim)
        {
            case (2, 3):
            {
                SymInt groups = w.Shape[0], rows = x.Shape[0], k = x.Shape[1], n = w.Shape[2];
                var all = Call(Bmm, Call(Expand, Call(Unsqueeze, x, 0L), new[] { groups, rows, k }), w);
                var (group, inside) = GroupOf(rows, groups);
                var index = Call(Expand, Call(View, group, new[] { (SymInt)1, rows, (SymInt)1 }), new[] { (SymInt)1, rows, n });
                var own = Call(SqueezeDim, Call(Gather, all, 0L, index), 0L);
                return Call(Where, Call(Unsqueeze, inside, 1L), own, zero);
            }
            case (3, 2):
            {
                SymInt groups = x.Shape[0], m = x.Shape[1], k = x.Shape[2], n = w.Shape[1];
                var all = Call(Bmm, x, Call(Expand, Call(Unsqueeze, w, 0L), new[] { groups, k, n }));
                var (group, inside) = GroupOf(n, groups);
                var index = Call(Expand, Call(View, group, new[] { (SymInt)1, (SymInt)1, n }), new[] { (SymInt)1, m, n });
                var own = Call(SqueezeDim, Call(Gather, all, 0L, index), 0L);
                return Call(Where, Call(Unsqueeze, inside, 0L), own, zero);
            }
            default:
            {
                SymInt groups = offs.Shape[0], m = x.Shape[0], k = x.Shape[1], n = w.Shape[1];
                var (group, inside) = GroupOf(k, groups);
                var ids = Call(Unsqueeze, CallKw(Arange, [groups], ("dtype", DType.Int64)), 1L);
                // Past the last end the clamped group is the last one; those positions belong to none.
                var mine = Call(LogicalAnd, Call(EqTensor, Call(Unsqueeze, group, 0L), ids), Call(Unsqueeze, inside, 0L));
                var kept = Call(Where, Call(Unsqueeze, mine, 1L), Call(Unsqueeze, x, 0L), zero);
                return Call(Bmm, kept, Call(Expand, Call(Unsqueeze, w, 0L), new[] { groups, k, n }));
            }
        }
    }
}
