using System.Numerics.Tensors;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Eager kernels of roll, pixel_shuffle/pixel_unshuffle, adaptive_max_pool1d/2d, upsample_bicubic2d.vec and
/// linalg_vector_norm (Aten.NnExtras.cs): strided copies and the array kernels of Graphport.Cpu.
/// </summary>
internal static class NnExtrasKernels
{
    public static readonly KernelFunction Roll = a =>
    {
        var self = Aten.T0(a);
        var (shifts, dims) = Aten.RollArgs(self, a[1], a[2]);
        var s = shifts.Select(x => (long)x).ToArray();
        if (self.DType.IsComplex())
        {
            // No dims rolls the flattened tensor; either way the pair dim is not rolled.
            if (dims.Length == 0)
                return Aten.Call(Aten.Reshape, ComplexKernels.ThroughParts(Aten.Call(Aten.Reshape, self, new long[] { -1 }), self.DType, pairs => Aten.Call(Aten.Roll, pairs, s, new long[] { 0 })), self.Sizes);
            return ComplexKernels.ThroughParts(self, self.DType, pairs => Aten.Call(Aten.Roll, pairs, s, dims.Select(d => (long)d).ToArray()));
        }
        return Eager.ComputeDType(self.DType) switch
        {
            DType.Float64 => Typed<double>(),
            DType.Float32 => Typed<float>(),
            DType.Bool => Typed<bool>(),
            _ => Typed<long>(),
        };

        Tensor Typed<T>() where T : unmanaged
        {
            var (d, l) = Eager.As<T>(self);
            return Eager.Wrap(Indexing.Roll(d, l, s, dims), self.DType);
        }
    };

    /// <summary>
    /// pixel_shuffle: [.., C·r², H, W] seen as [.., C, r, r, H, W] (a split of the channel dim, valid for any strides),
    /// permuted to [.., C, H, r, W, r] and copied once; pixel_unshuffle splits H and W and permutes the other way.
    /// </summary>
    public static Tensor PixelShuffle(Tensor self, long r, bool unshuffle)
    {
        var layout = Eager.LayoutOf(self);
        int n = self.Ndim - 3;
        long[] batch = layout.Shape[..n], batchStrides = layout.Strides[..n];
        long c = layout.Shape[n], h = layout.Shape[n + 1], w = layout.Shape[n + 2];
        long sc = layout.Strides[n], sh = layout.Strides[n + 1], sw = layout.Strides[n + 2];
        StridedLayout split;
        int[] perm;
        long[] outShape;
        if (!unshuffle)
        {
            split = new StridedLayout([.. batch, c / (r * r), r, r, h, w], [.. batchStrides, sc * r * r, sc * r, sc, sh, sw], layout.Offset);
            perm = [.. Enumerable.Range(0, n), n, n + 3, n + 1, n + 4, n + 2];
            outShape = [.. batch, c / (r * r), h * r, w * r];
        }
        else
        {
            split = new StridedLayout([.. batch, c, h / r, r, w / r, r], [.. batchStrides, sc, sh * r, sh, sw * r, sw], layout.Offset);
            perm = [.. Enumerable.Range(0, n), n, n + 2, n + 4, n + 1, n + 3];
            outShape = [.. batch, c * r * r, h / r, w / r];
        }
        var moved = Eager.Materialize(self, split.Permute(perm));
        return new Tensor(moved.Storage, outShape, Tensor.ContiguousStrides(outShape), 0);
    }

    /// <summary>
    /// adaptive_max_pool2d over planes of <paramref name="planeShape"/> (the input's own shape by default): values and
    /// indices flat within each H×W plane; results take <paramref name="outShape"/> when given (adaptive_max_pool1d).
    /// </summary>
    public static Tensor[] AdaptiveMaxPool2d(Tensor input, long[] size, long[]? planeShape = null, long[]? outShape = null)
    {
        PoolingKernels.RequireFloat("adaptive_max_pool2d", input);
        planeShape ??= input.Sizes;
        var outputSize = ((int)size[0], (int)size[^1]);
        if (input.DType == DType.Float64)
        {
            var r = Pooling.AdaptiveMaxPool2d(Eager.Dense<double>(input), planeShape, outputSize);
            return [Eager.Wrap(r.Output.Data, outShape ?? r.Output.Shape, input.DType), Eager.Wrap(r.Indices.Data, outShape ?? r.Indices.Shape, DType.Int64)];
        }
        var f = Pooling.AdaptiveMaxPool2d(Eager.Dense<float>(input), planeShape, outputSize);
        return [Eager.Wrap(f.Output.Data, outShape ?? f.Output.Shape, input.DType), Eager.Wrap(f.Indices.Data, outShape ?? f.Indices.Shape, DType.Int64)];
    }

    public static readonly KernelFunction UpsampleBicubic2d = a =>
    {
        var input = Aten.T0(a);
        PoolingKernels.RequireFloat("upsample_bicubic2d", input);
        var shape = Aten.UpsampleBicubic2dShape(a);
        (int, int) size = ((int)(long)shape[2], (int)(long)shape[3]);
        (double, double)? scales = a[3] is double[] sc ? (sc[0], sc[1]) : null;
        bool align = Aten.B(a[2]);
        return input.DType == DType.Float64
            ? Eager.Wrap(Cpu.UpsampleKernels.Bicubic2d(Eager.Dense<double>(input), input.Sizes, size, align, scales), input.DType)
            : Eager.Wrap(Cpu.UpsampleKernels.Bicubic2d(Eager.Dense<float>(input), input.Sizes, size, align, scales), input.DType);
    };

    /// <summary>
    /// linalg_vector_norm per reduced row, in double: ord 0 counts non-zeros, ±inf take max/min |x|, 1 sums |x|, 2 is
    /// the Euclidean norm, any other p is (Σ|x|^p)^(1/p); the result is cast to dtype.
    /// </summary>
    public static readonly KernelFunction LinalgVectorNorm = a =>
    {
        var self = Aten.T0(a);
        var result = Aten.VectorNormDType(self, a[4]);
        double ord = Aten.D(a[1]);
        var dims = Aten.ReducedDims(self, a[2]);
        bool keepdim = Aten.B(a[3]);
        var (data, layout) = Eager.As<double>(self);
        RowReduce<double, double> row = ord switch
        {
            0 => CountNonZero,
            double.PositiveInfinity => static r => Math.Abs(TensorPrimitives.MaxMagnitude(r)),
            double.NegativeInfinity => static r => Math.Abs(TensorPrimitives.MinMagnitude(r)),
            1 => static r => TensorPrimitives.SumOfMagnitudes(r),
            2 => static r => Math.Sqrt(TensorPrimitives.SumOfSquares(r)),
            _ => r =>
            {
                double sum = 0;
                foreach (var v in r) sum += Math.Pow(Math.Abs(v), ord);
                return Math.Pow(sum, 1 / ord);
            },
        };
        bool allowEmpty = !(double.IsInfinity(ord) || ord < 0);
        var reduced = ReductionEngine.Run("linalg_vector_norm", data, layout, dims, keepdim, row, null, allowEmpty);
        return Eager.Wrap(reduced, result);
    };

    private static double CountNonZero(ReadOnlySpan<double> r)
    {
        int count = 0;
        foreach (var v in r) if (v != 0) count++;
        return count;
    }
}
