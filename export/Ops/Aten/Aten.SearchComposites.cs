using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Order statistics and searches torch's export keeps as single nodes: median, argsort, msort (over sort), and
/// bucketize and searchsorted (counts of the boundaries below each value, compared all at once, so a sorter changes
/// nothing but what is checked).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Median = Composite("median(Tensor self) -> Tensor", MedianBody);
    public static readonly OpOverload MedianDim = Composite("median.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)", MedianDimBody);
    public static readonly OpOverload Argsort = Composite("argsort(Tensor self, int dim=-1, bool descending=False) -> Tensor", ArgsortBody);
    public static readonly OpOverload ArgsortStable = Composite("argsort.stable(Tensor self, *, bool stable, int dim=-1, bool descending=False) -> Tensor", ArgsortStableBody);
    public static readonly OpOverload Msort = Composite("msort(Tensor self) -> Tensor", MsortBody);
    public static readonly OpOverload BucketizeTensor = Composite("bucketize.Tensor(Tensor self, Tensor boundaries, *, bool out_int32=False, bool right=False) -> Tensor", BucketizeTensorBody);
    public static readonly OpOverload SearchsortedTensor = Composite("searchsorted.Tensor(Tensor sorted_sequence, Tensor self, *, bool out_int32=False, bool right=False, str? side=None, Tensor? sorter=None) -> Tensor", SearchsortedTensorBody);

    // The lower middle value of the sorted elements (torch's median does not average the two middles).
    private static object? MedianBody(object?[] a)
    {
        var flat = Call(Reshape, a[0], new SymInt[] { -1 });
        long n = (long)flat.Shape[0];
        if (n == 0) return CallKw(Full, [Array.Empty<SymInt>(), double.NaN], ("dtype", flat.DType));
        return Call(Select, CallMulti(Sort, flat, 0L, false)[0], 0L, (SymInt)((n - 1) / 2));
    }

    private static object? MedianDimBody(object?[] a)
    {
        var self = T0(a);
        int dim = ShapeRules.WrapDim(L(a[1]), Math.Max(self.Ndim, 1));
        if (self.Ndim == 0) return new[] { Call(Clone, self), CallKw(Zeros, [Array.Empty<SymInt>()], ("dtype", DType.Int64)) };
        var sorted = CallMulti(Sort, self, (long)dim, false);
        var middle = (SymInt)(((long)self.Shape[dim] - 1) / 2);
        Tensor Pick(Tensor t) => B(a[2]) ? Call(Unsqueeze, Call(Select, t, (long)dim, middle), (long)dim) : Call(Select, t, (long)dim, middle);
        return new[] { Pick(sorted[0]), Pick(sorted[1]) };
    }

    private static object? ArgsortBody(object?[] a) => CallMulti(Sort, a[0], a[1], a[2])[1];

    private static object? ArgsortStableBody(object?[] a) => CallMulti(Sort, a[0], a[2], a[3])[1];

    private static object? MsortBody(object?[] a) => CallMulti(Sort, a[0], 0L, false)[0];

    // The index of each value's bucket: how many boundaries lie below it (at or below it with right).
    private static object? BucketizeTensorBody(object?[] a)
    {
        var boundaries = Tn(a, 1);
        if (boundaries.Ndim != 1) throw new ArgumentException($"boundaries tensor must be 1 dimension, but got dim({boundaries.Ndim})");
        return Count(Tn(a, 0), boundaries, B(a[3]), B(a[2]));
    }

    // With a sorter (the indices that sort each row of the sequence, as argsort gives), torch searches the sequence taken
    // in that order; the insertion point is the count of elements below the value, which the order does not change, so
    // the sorter is checked and the count taken on the sequence as it is.
    private static object? SearchsortedTensorBody(object?[] a)
    {
        bool right = B(a[3]) || (string?)a[4] == "right";
        if (B(a[3]) && (string?)a[4] == "left")
            throw new ArgumentException("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
        var sequence = T0(a);
        var values = Tn(a, 1);
        if (a[5] is Tensor sorter)
        {
            if (sorter.DType != DType.Int64)
                throw new ArgumentException($"torch.searchsorted(): sorter must be a tensor of long dtype but got dtype {DTypeNames.Capitalized(sorter.DType)}");
            if (!sorter.Shape.SequenceEqual(sequence.Shape))
                throw new ArgumentException($"torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor [{string.Join(", ", sequence.Shape)}] and got sorter tensor [{string.Join(", ", sorter.Shape)}]");
        }
        if (sequence.Ndim <= 1) return Count(values, sequence, right, B(a[2]));
        // Batched: each row of values against the same row of the sequence.
        var below = Call(right ? LeTensor : LtTensor, Call(Unsqueeze, sequence, -2L), Call(Unsqueeze, values, -1L));
        return CallKw(SumDim, [below, new[] { -1L }, false], ("dtype", B(a[2]) ? DType.Int32 : DType.Int64));
    }

    private static Tensor Count(Tensor values, Tensor sorted, bool right, bool int32)
    {
        var below = Call(right ? GeTensor : GtTensor, Call(Unsqueeze, values, -1L), sorted);
        return CallKw(SumDim, [below, new[] { -1L }, false], ("dtype", int32 ? DType.Int32 : DType.Int64));
    }
}
