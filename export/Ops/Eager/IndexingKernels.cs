using System.Numerics;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>Eager kernels of the Core ATen indexing ops: advanced indexing, index_put, masked_scatter, scatter*, sort, topk.</summary>
internal static class IndexingKernels
{
    public static readonly KernelFunction Index = a =>
    {
        var self = Aten.T0(a);
        var (shape, offsets) = AdvancedIndexing.Resolve(self.Sizes, self.strides, self.offset, (Tensor?[])a[1]!);
        return Eager.GatherElements(self, offsets, shape);
    };

    public static readonly KernelFunction IndexPut = a =>
    {
        var self = Aten.T0(a);
        var result = Tensor.Empty(self.DType, self.Sizes);
        Eager.CopyInto(result, self);
        var (shape, positions) = AdvancedIndexing.Resolve(result.Sizes, result.strides, 0, (Tensor?[])a[1]!);
        var values = Aten.Tn(a, 2);
        if (positions.Length == 0) return result;
        var expanded = Aten.Call(Aten.Expand, values, shape);
        Eager.ScatterElements(result, positions, expanded, Aten.B(a[3]));
        return result;
    };

    public static readonly KernelFunction MaskedScatter = a =>
    {
        Tensor self = Aten.T0(a), mask = Aten.Tn(a, 1), source = Aten.Tn(a, 2);
        var shape = ShapeRules.Broadcast(self.Shape.AsArray(), mask.Shape.AsArray()).Select(s => (long)s).ToArray();
        var result = Tensor.Empty(self.DType, shape);
        Eager.CopyInto(result, self);
        var selected = Eager.Dense<bool>(Aten.Call(Aten.Expand, mask, shape));
        var positions = new List<long>();
        for (long i = 0; i < selected.LongLength; i++)
            if (selected[i]) positions.Add(i);
        if (positions.Count > source.NumelLong)
            throw new ArgumentException($"masked_scatter: expected source to have at least {positions.Count} elements (the number of ones in mask), but it has {source.NumelLong}");
        // The first positions.Count source elements in row-major order fill the selected positions in order.
        var flat = Eager.GatherElements(source, Eager.ElementOffsets(source).Take(positions.Count).ToArray(), [positions.Count]);
        Eager.ScatterElements(result, [.. positions], flat, accumulate: false);
        return result;
    };

    /// <summary>scatter.src, scatter.value and scatter_add over the Cpu kernels, computed in float/double/long (bool for scatter).</summary>
    public static KernelFunction Scatter(bool add, bool fromValue) => a =>
    {
        var self = Aten.T0(a);
        int dim = ShapeRules.WrapDim(Aten.L(a[1]), self.Ndim);
        var (index, indexLayout) = Eager.As<long>(Aten.Tn(a, 2));
        if (self.Ndim == 0) return ScatterScalar(a, add, fromValue);
        return Eager.ComputeDType(self.DType) switch
        {
            DType.Float32 => Typed<float>(),
            DType.Float64 => Typed<double>(),
            DType.Bool when !add => TypedBool(),
            _ => Typed<long>(),
        };

        Tensor Typed<T>() where T : unmanaged, INumber<T>
        {
            var (d, l) = Eager.As<T>(self);
            if (fromValue) return Eager.Wrap(Indexing.Scatter(d, l, dim, index, indexLayout, Eager.Scalar<T>(a[3])), self.DType);
            var (s, sl) = Eager.As<T>(Aten.Tn(a, 3));
            return Eager.Wrap(add ? Indexing.ScatterAdd(d, l, dim, index, indexLayout, s, sl) : Indexing.Scatter(d, l, dim, index, indexLayout, s, sl), self.DType);
        }

        Tensor TypedBool()
        {
            var (d, l) = Eager.As<bool>(self);
            if (fromValue) return Eager.Wrap(Indexing.Scatter(d, l, dim, index, indexLayout, Eager.Scalar<long>(a[3]) != 0), self.DType);
            var (s, sl) = Eager.As<bool>(Aten.Tn(a, 3));
            return Eager.Wrap(Indexing.Scatter(d, l, dim, index, indexLayout, s, sl), self.DType);
        }
    };

    /// <summary>0-d scatter: the index (0) selects the only element.</summary>
    private static Tensor ScatterScalar(object?[] a, bool add, bool fromValue)
    {
        var self = Aten.T0(a);
        if (Aten.Tn(a, 2).NumelLong == 0) return Aten.Call(Aten.Clone, self);
        long i = Eager.Dense<long>(Aten.Tn(a, 2))[0];
        if (i != 0 && i != -1) throw new IndexValueException($"index {i} is out of bounds for dimension 0 with size 1");
        var replaced = fromValue ? Aten.Call(Aten.FullLike, self, a[3]) : Aten.CallKw(Aten.ToCopy, [Aten.Tn(a, 3).Reshape(-1)[0]], ("dtype", self.DType));
        return add ? Aten.Call(Aten.Add, self, replaced) : Aten.Call(Aten.Clone, replaced);
    }

    /// <summary>scatter_reduce.two: sum, prod, mean, amax or amin of the values scattered to each position, with or without self.</summary>
    public static readonly KernelFunction ScatterReduce = a =>
    {
        var self = Aten.T0(a);
        return Eager.ComputeDType(self.DType) switch
        {
            DType.Float32 => ScatterReduceTyped(a, float.NegativeInfinity, float.PositiveInfinity, floorMean: false),
            DType.Float64 => ScatterReduceTyped(a, double.NegativeInfinity, double.PositiveInfinity, floorMean: false),
            _ => ScatterReduceTyped(a, long.MinValue, long.MaxValue, floorMean: true),
        };
    };

    private static Tensor ScatterReduceTyped<T>(object?[] a, T lowest, T highest, bool floorMean) where T : unmanaged, INumber<T>
    {
        var self = Aten.T0(a);
        var indexTensor = Aten.Tn(a, 2);
        var src = Aten.Tn(a, 3);
        string reduce = (string)a[4]!;
        bool includeSelf = Aten.B(a[5]);
        int rank = Math.Max(self.Ndim, 1);
        int dim = ShapeRules.WrapDim(Aten.L(a[1]), self.Ndim);
        var output = (T[])Eager.Dense<T>(self).Clone();
        var outSizes = self.Ndim == 0 ? new long[] { 1 } : self.Sizes;
        var outStrides = Tensor.ContiguousStrides(outSizes);
        var index = Eager.Dense<long>(indexTensor);
        var values = Eager.Dense<T>(src);
        var idxSizes = indexTensor.Ndim == 0 ? new long[] { 1 } : indexTensor.Sizes;
        var srcStrides = Tensor.ContiguousStrides(src.Ndim == 0 ? [1] : src.Sizes);
        var counts = new long[output.LongLength];
        var touched = new bool[output.LongLength];
        var p = new long[rank];
        for (long n = 0; n < index.LongLength; n++)
        {
            long i = index[n];
            if (i < -outSizes[dim] || i >= outSizes[dim]) throw new IndexValueException($"index {i} is out of bounds for dimension {dim} with size {outSizes[dim]}");
            if (i < 0) i += outSizes[dim];
            long target = 0, source = 0;
            for (int d = 0; d < rank; d++)
            {
                target += (d == dim ? i : p[d]) * outStrides[d];
                source += p[d] * srcStrides[d];
            }
            if (!touched[target])
            {
                touched[target] = true;
                counts[target] = includeSelf ? 1 : 0;
                if (!includeSelf)
                {
                    output[target] = reduce switch
                    {
                        "prod" => T.One,
                        "amax" => lowest,
                        "amin" => highest,
                        _ => T.Zero,
                    };
                }
            }
            T v = values[source];
            T o = output[target];
            output[target] = reduce switch
            {
                "sum" or "mean" => o + v,
                "prod" => o * v,
                // NaN wins, as in torch's maximum/minimum.
                "amax" => T.IsNaN(o) || T.IsNaN(v) ? (T.IsNaN(o) ? o : v) : T.Max(o, v),
                "amin" => T.IsNaN(o) || T.IsNaN(v) ? (T.IsNaN(o) ? o : v) : T.Min(o, v),
                _ => throw new ArgumentException($"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}"),
            };
            counts[target]++;
            StridedLoops.Increment(p, idxSizes);
        }
        if (reduce == "mean")
        {
            for (long t = 0; t < output.LongLength; t++)
            {
                if (!touched[t] || counts[t] == 0) continue;
                var c = T.CreateTruncating(counts[t]);
                output[t] = floorMean ? FloorDiv(output[t], c) : output[t] / c;
            }
        }
        return Eager.Wrap(output, self.Sizes, self.DType);
    }

    private static T FloorDiv<T>(T x, T y) where T : INumber<T>
    {
        var q = x / y;
        return (x % y != T.Zero) && ((x < T.Zero) != (y < T.Zero)) ? q - T.One : q;
    }

    public static readonly KernelFunction Sort = a =>
    {
        var self = Aten.T0(a);
        int dim = ShapeRules.WrapDim(Aten.L(a[1]), self.Ndim);
        bool descending = Aten.B(a[2]);
        return Eager.ComputeDType(self.DType) switch
        {
            DType.Float32 => Typed<float>(),
            DType.Float64 => Typed<double>(),
            _ => Typed<long>(),
        };

        Tensor[] Typed<T>() where T : unmanaged, INumber<T>
        {
            var (d, l) = Eager.As<T>(self);
            var (values, indices) = Indexing.Sort(d, l, dim, descending);
            return [Eager.Wrap(values, self.DType), Eager.Wrap(indices, DType.Int64)];
        }
    };

    public static readonly KernelFunction Topk = a =>
    {
        var self = Aten.T0(a);
        long k = Aten.L(a[1]);
        int dim = ShapeRules.WrapDim(Aten.L(a[2]), self.Ndim);
        bool largest = Aten.B(a[3]);
        return Eager.ComputeDType(self.DType) switch
        {
            DType.Float32 => Typed<float>(),
            DType.Float64 => Typed<double>(),
            _ => Typed<long>(),
        };

        Tensor[] Typed<T>() where T : unmanaged, INumber<T>
        {
            var (d, l) = Eager.As<T>(self);
            var (values, indices) = Indexing.Topk(d, l, k, dim, largest);
            return [Eager.Wrap(values, self.DType), Eager.Wrap(indices, DType.Int64)];
        }
    };
}
