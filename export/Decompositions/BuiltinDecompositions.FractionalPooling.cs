using Graphport.Operators;

namespace Graphport;

/// <summary>
/// fractional_max_pool2d/3d (Aten.FractionalPooling.cs) to Core ATen: each axis's window starts computed from the
/// samples as ATen computes them (in the input's precision, truncated), every window gathered by the flat position of its
/// taps (one gather index) and reduced with max.dim, and the flat index of the maximum looked up from the positions.
/// </summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterFractionalPooling()
    {
        Register("aten::fractional_max_pool2d", a => FractionalMaxPoolDecomposition(T(a[0]), Aten.Ls(a[1]), Aten.Ls(a[2]), T(a[3])));
        Register("aten::fractional_max_pool3d", a => FractionalMaxPoolDecomposition(T(a[0]), Aten.Ls(a[1]), Aten.Ls(a[2]), T(a[3])));
    }

    private static Tensor[] FractionalMaxPoolDecomposition(Tensor x, long[] kernel, long[] output, Tensor samples)
    {
        int rank = kernel.Length;
        bool batched = x.Ndim == rank + 2;
        var input = batched ? x : Aten.Call(Aten.Unsqueeze, x, 0L);
        SymInt n = input.Shape[0], c = input.Shape[1];
        var inputs = input.Shape.Skip(2).Select(s => (long)s).ToArray();
        // Axis a's taps [N, C, out_a, k_a], placed at dims 2 + 2a, 3 + 2a of an [N, C, o0, k0, o1, k1, ...] grid.
        var taps = new Tensor[rank];
        for (int axis = 0; axis < rank; axis++)
        {
            var starts = FractionalStarts(Aten.Call(Aten.Select, samples, 2L, (long)Aten.FractionalSampleOf(rank, axis)), n, c, inputs[axis], output[axis], kernel[axis], x.DType);
            var positions = Aten.Call(Aten.Add, Aten.Call(Aten.Unsqueeze, starts, -1L), Aten.Call(Aten.ArangeStartStep, 0L, kernel[axis], 1L));
            var grid = new List<SymInt> { n, c };
            for (int other = 0; other < rank; other++) grid.AddRange(other == axis ? [output[axis], kernel[axis]] : [1, 1]);
            taps[axis] = Aten.Call(Aten.View, positions, grid.ToArray());
        }
        // The flat position of every tap in its plane, [N, C, o0, o1, ..., k0·k1·...], gathers the windows with one index.
        var flat = taps[0];
        for (int axis = 1; axis < rank; axis++) flat = Aten.Call(Aten.Add, Aten.Call(Aten.MulScalar, flat, inputs[axis]), taps[axis]);
        var order = new long[] { 0, 1 }.Concat(Enumerable.Range(0, rank).Select(i => 2L + 2 * i)).Concat(Enumerable.Range(0, rank).Select(i => 3L + 2 * i)).ToArray();
        long window = kernel.Aggregate(1L, (p, k) => p * k), outputs = output.Aggregate(1L, (p, o) => p * o);
        var tapPositions = Aten.Call(Aten.Reshape, Aten.Call(Aten.Permute, flat, order), new SymInt[] { n, c, outputs * window });
        var planes = Aten.Call(Aten.Reshape, input, new SymInt[] { n, c, inputs.Aggregate(1L, (p, i) => p * i) });
        var outShape = Sizes([n, c], [.. output.Select(o => (SymInt)o), window]);
        var windows = Aten.Call(Aten.View, Aten.Call(Aten.Gather, planes, 2L, tapPositions), outShape);
        var max = Aten.CallMulti(Aten.MaxDim, windows, -1L, false);
        var index = Aten.Call(Aten.SqueezeDim, Aten.Call(Aten.Gather, Aten.Call(Aten.View, tapPositions, outShape), -1L, Aten.Call(Aten.Unsqueeze, max[1], -1L)), -1L);
        return batched ? [max[0], index] : [Aten.Call(Aten.SqueezeDim, max[0], 0L), Aten.Call(Aten.SqueezeDim, index, 0L)];
    }

    // ATen's generate_intervals over [N, C] samples: ⌊(i + u)·α⌋ − ⌊u·α⌋ for i below out − 1, then in − kernel.
    private static Tensor FractionalStarts(Tensor u, SymInt n, SymInt c, long input, long output, long kernel, DType dtype)
    {
        var last = Aten.CallKw(Aten.Full, [new[] { n, c, (SymInt)1 }, input - kernel], ("dtype", DType.Int64));
        if (output == 1) return last;
        double alpha = dtype == DType.Float64 ? (double)(input - kernel) / (output - 1) : (float)(input - kernel) / (output - 1);
        var i = Aten.CallKw(Aten.ToCopy, [Aten.Call(Aten.ArangeStartStep, 0L, output - 1, 1L)], ("dtype", dtype));
        var scaled = Aten.Call(Aten.Trunc, Aten.Call(Aten.MulScalar, Aten.Call(Aten.Add, Aten.Call(Aten.Unsqueeze, u, -1L), i), alpha));
        var offset = Aten.Call(Aten.Trunc, Aten.Call(Aten.MulScalar, Aten.Call(Aten.Unsqueeze, u, -1L), alpha));
        var starts = Aten.CallKw(Aten.ToCopy, [Aten.Call(Aten.Sub, scaled, offset)], ("dtype", DType.Int64));
        return Aten.Call(Aten.Cat, new[] { starts, last }, -1L);
    }
}
