using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Decompositions of the ops that make or take max-pooling indices (Aten.PoolingIndices.cs): adaptive_max_pool2d/3d →
/// the fixed-window max pool when the sizes divide evenly, else a gather of every window with max.dim; max_unpool2d/3d
/// → index_put of the values into zeros, each plane's indices offset by its place in the flattened output, as
/// torch's _max_unpoolnd writes it.
/// </summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterPoolingIndices()
    {
        Register("aten::adaptive_max_pool3d", a => AdaptiveMaxPoolDecomposition(T(a[0]), Aten.Ls(a[1])));
        Register("aten::max_unpool2d", a => MaxUnpoolDecomposition(T(a[0]), T(a[1]), Aten.Ss(a[2])));
        Register("aten::max_unpool3d", a => MaxUnpoolDecomposition(T(a[0]), T(a[1]), Aten.Ss(a[2])));
    }

    /// <summary>
    /// Evenly divisible sizes pool with max_pool2d/3d_with_indices (kernel = stride = in / out), as torch's
    /// decomposition does; otherwise every window is gathered padded to the longest (its last row/column repeated,
    /// which never changes the max or its first index) by the flat index of each tap in its plane, reduced with
    /// max.dim, and the max's flat index looked up from the taps.
    /// </summary>
    private static Tensor[] AdaptiveMaxPoolDecomposition(Tensor x, long[] size)
    {
        int rank = size.Length;
        int lead = x.Ndim - rank;
        var inputs = x.Shape.Skip(lead).Select(s => (long)s).ToArray();
        if (size.All(o => o > 0) && inputs.Zip(size).All(p => p.First % p.Second == 0))
        {
            var kernel = inputs.Zip(size, (i, o) => i / o).ToArray();
            return Aten.CallMulti(rank == 2 ? Aten.MaxPool2dWithIndices : Aten.MaxPool3dWithIndices, x, kernel);
        }
        // idx[o, k] = min(start(o) + k, end(o) − 1) with start = ⌊o·in/out⌋, end = ⌈(o+1)·in/out⌉.
        static (Tensor Index, long Window) Windows(long input, long output)
        {
            long window = Enumerable.Range(0, (int)output).Max(o => (((o + 1) * input + output - 1) / output) - (o * input / output));
            var o = Aten.Call(Aten.ArangeStartStep, 0L, output, 1L);
            var start = Aten.CallKw(Aten.DivScalarMode, [Aten.Call(Aten.MulScalar, o, input), output], ("rounding_mode", "floor"));
            var endInclusive = Aten.Call(Aten.SubScalar, Aten.CallKw(Aten.DivScalarMode, [Aten.Call(Aten.AddScalar, Aten.Call(Aten.MulScalar, o, input), input + output - 1), output], ("rounding_mode", "floor")), 1L);
            var taps = Aten.Call(Aten.Add, Aten.Call(Aten.Unsqueeze, start, -1L), Aten.Call(Aten.ArangeStartStep, 0L, window, 1L));
            return (Aten.Call(Aten.ClampTensor, taps, null, Aten.Call(Aten.Unsqueeze, endInclusive, -1L)), window);
        }
        // Axis i's [out, window] taps sit at dims 2i, 2i+1 of a [o0, k0, o1, k1, ...] grid; the last axis broadcasts as is.
        var axes = new Tensor[rank];
        var windows = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            var (axisTaps, window) = Windows(inputs[i], size[i]);
            windows[i] = window;
            axes[i] = i == rank - 1 ? axisTaps : Aten.Call(Aten.View, axisTaps, new SymInt[] { size[i], window }.Concat(Enumerable.Repeat((SymInt)1, 2 * (rank - 1 - i))).ToArray());
        }
        // The flat index of every window tap within its plane or volume, [o0, o1, ..., taps]: one gather index, so the
        // windows are read with a single (checked) index however many axes there are.
        var flatIndex = axes[0];
        for (int i = 1; i < rank; i++) flatIndex = Aten.Call(Aten.Add, Aten.Call(Aten.MulScalar, flatIndex, inputs[i]), axes[i]);
        var gridOrder = Enumerable.Range(0, rank).Select(i => 2L * i).Concat(Enumerable.Range(0, rank).Select(i => 2L * i + 1)).ToArray();
        long taps = windows.Aggregate(1L, (p, k) => p * k);
        var tapIndex = Aten.Call(Aten.Reshape, Aten.Call(Aten.Permute, flatIndex, gridOrder), Sizes(size.Select(o => (SymInt)o), taps));
        long plane = inputs.Aggregate(1L, (p, s) => p * s);
        var planes = Aten.Call(Aten.Reshape, x, Sizes(x.Shape.Take(lead), plane));
        var indices = new Tensor?[lead + 1];
        indices[lead] = tapIndex;
        // [.., o0, o1, ..., taps], reduced with max.dim; the max's flat index read from the taps at its position.
        var flatWindows = Aten.Call(Aten.IndexTensor, planes, indices);
        var max = Aten.CallMulti(Aten.MaxDim, flatWindows, -1L, false);
        var expanded = Aten.Call(Aten.Expand, tapIndex, flatWindows.Shape.AsArray());
        var picked = Aten.Call(Aten.Gather, expanded, -1L, Aten.Call(Aten.Unsqueeze, max[1], -1L));
        return [max[0], Aten.Call(Aten.SqueezeDim, picked, -1L)];
    }

    private static Tensor MaxUnpoolDecomposition(Tensor self, Tensor indices, SymInt[] outputSize)
    {
        int rank = outputSize.Length;
        var lead = self.Shape.Take(self.Ndim - rank).ToArray();
        SymInt planes = lead.Aggregate((SymInt)1, (p, s) => p * s);
        SymInt plane = outputSize.Aggregate((SymInt)1, (p, s) => p * s);
        var planeNumber = Aten.Call(Aten.View, Aten.Call(Aten.ArangeStartStep, 0L, planes, 1L), Sizes(lead, Enumerable.Repeat((SymInt)1, rank).ToArray()));
        var flat = Aten.Call(Aten.View, Aten.Call(Aten.Add, indices, Aten.Call(Aten.MulScalar, planeNumber, plane)), new SymInt[] { -1 });
        var zeros = Aten.CallKw(Aten.Full, [new[] { planes * plane }, 0L], ("dtype", self.DType));
        var scattered = Aten.Call(Aten.IndexPut, zeros, new Tensor?[] { flat }, Aten.Call(Aten.View, self, new SymInt[] { -1 }));
        return Aten.Call(Aten.View, scattered, Sizes(lead, outputSize));
    }
}
