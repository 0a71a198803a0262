namespace Graphport.Onnx;

/// <summary>
/// LpPool and GlobalLpPool, (Σ |x|ᵖ)^(1/p) over each window (padding counts as zeros), as sum pools of |x|ᵖ; and
/// MaxUnpool, which writes each value at its Indices position counted over the whole output tensor, as ONNX's
/// MaxPool gives them.
/// </summary>
internal static partial class OnnxOpTable
{
    private static OnnxValue[] LpPool(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        var spatial = OnnxSpatial.Read(c, RequiredKernel(c), x);
        if (spatial.Dilations.Any(d => d != 1)) throw c.Fail("uses dilations, which Graphport's LpPool (a sum pool) does not have");
        long p = c.Int("p", 2);
        if (p <= 0) throw c.Fail($"has p = {p}; the p of a p-norm must be positive");
        bool ceil = c.Int("ceil_mode", 0) != 0;
        var powered = Call(Aten.PowTensorScalar, Call(Aten.Abs, x), p);
        var (input, padding) = spatial.ApplyAsymmetric(powered, 0.0);
        // A divisor of 1 makes the average pool a sum, padded cells (zeros) included.
        var sums = spatial.Rank switch
        {
            2 => Call(Aten.AvgPool2d, input, spatial.Kernel, spatial.Strides, padding, ceil, true, 1L),
            3 => Call(Aten.AvgPool3d, input, spatial.Kernel, spatial.Strides, padding, ceil, true, 1L),
            1 => Call(Aten.SqueezeDim, Call(Aten.AvgPool2d, Call(Aten.Unsqueeze, input, -2L), new[] { 1L, spatial.Kernel[0] }, new[] { 1L, spatial.Strides[0] },
                new[] { 0L, padding[0] }, ceil, true, 1L), -2L),
            _ => throw c.Fail($"pools over {spatial.Rank} spatial dims; Graphport supports 1, 2 and 3"),
        };
        return One(Call(Aten.PowTensorScalar, sums, 1.0 / p));
    }

    private static OnnxValue[] GlobalLpPool(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        long p = c.Int("p", 2);
        if (p <= 0) throw c.Fail($"has p = {p}; the p of a p-norm must be positive");
        var sums = Call(Aten.SumDim, Call(Aten.PowTensorScalar, Call(Aten.Abs, x), p), SpatialDims(x), true);
        return One(Call(Aten.PowTensorScalar, sums, 1.0 / p));
    }

    private static OnnxValue[] MaxUnpool(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        var indices = c.Tensor(1);
        var spatial = OnnxSpatial.Read(c, RequiredKernel(c), x);
        int rank = spatial.Rank;
        if (x.Ndim != rank + 2) throw c.Fail($"has a {x.Ndim}-d input for a {rank}-d kernel; MaxUnpool takes (N, C, spatial...)");
        if (!x.Shape.SequenceEqual(indices.Shape))
            throw c.Fail($"has Indices of shape {indices.Shape} for an input of shape {x.Shape}; they must be the same, as MaxPool gives them");
        SymInt[] outShape;
        if (c.Has(2))
        {
            outShape = c.Sizes(2, "output_shape");
            if (outShape.Length != x.Ndim) throw c.Fail($"has an output_shape of {outShape.Length} dims for a {x.Ndim}-d input");
        }
        else
        {
            // ONNX's default: (in − 1)·stride + kernel − begin pad − end pad on each spatial axis.
            outShape = [x.Shape[0], x.Shape[1], .. Enumerable.Range(0, rank).Select(i =>
                (x.Shape[2 + i] - 1) * spatial.Strides[i] + spatial.Kernel[i] - spatial.PadBegin[i] - spatial.PadEnd[i])];
        }
        SymInt total = outShape.Aggregate((SymInt)1, (a, b) => a * b);
        var flatIndices = Call(Aten.View, indices.DType == DType.Int64 ? indices : Aten.CallKw(Aten.ToCopy, [indices], ("dtype", DType.Int64)), new SymInt[] { -1 });
        var zeros = Aten.CallKw(Aten.Full, [new[] { total }, 0L], ("dtype", x.DType));
        var scattered = Call(Aten.IndexPut, zeros, new Tensor?[] { flatIndices }, Call(Aten.View, x, new SymInt[] { -1 }));
        return One(Call(Aten.View, scattered, outShape));
    }
}
