using Graphport.Operators;

namespace Graphport;

/// <summary>Views and their functional inverses: t/transpose → permute, _unsafe_view → view, squeeze → squeeze.dims, *_scatter.</summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterViews()
    {
        Register("aten::t", a =>
        {
            var x = T(a[0]);
            return x.Ndim < 2 ? Aten.Call(Aten.Alias, x) : Aten.Call(Aten.Permute, x, new long[] { 1, 0 });
        });
        Register("aten::transpose.int", a =>
        {
            var x = T(a[0]);
            int rank = x.Ndim;
            if (rank <= 1) return Aten.Call(Aten.Alias, x);
            int d0 = ShapeRules.WrapDim(Aten.L(a[1]), rank), d1 = ShapeRules.WrapDim(Aten.L(a[2]), rank);
            var perm = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
            (perm[d0], perm[d1]) = (perm[d1], perm[d0]);
            return Aten.Call(Aten.Permute, x, perm);
        });
        Register("aten::_unsafe_view", a => Aten.Call(Aten.View, Aten.Call(Aten.Contiguous, a[0]), a[1]));
        Register("aten::squeeze", a =>
        {
            var x = T(a[0]);
            var dims = Enumerable.Range(0, x.Ndim).Where(d => x.Shape[d].AsConstant == 1).Select(d => (long)d).ToArray();
            return Aten.Call(Aten.SqueezeDims, x, dims);
        });
        Register("aten::diagonal_scatter", a => DiagonalScatter(T(a[0]), T(a[1]), Aten.L(a[2]), Aten.L(a[3]), Aten.L(a[4])));
        Register("aten::as_strided_scatter", a => AsStridedScatter(T(a[0]), T(a[1]), Aten.Ss(a[2]), Aten.Ss(a[3]), a[4] is null ? 0 : Aten.S(a[4])));
    }

    /// <summary>
    /// diagonal_scatter as where(on_diagonal, src spread over the plane, self): with self's two dims moved last, position
    /// (i, j) is on the diagonal when j − i = offset and then holds src[..., i] (offset ≥ 0) or src[..., j] (offset &lt; 0).
    /// </summary>
    private static Tensor DiagonalScatter(Tensor self, Tensor src, long offset, long dim1, long dim2)
    {
        int rank = self.Ndim;
        int d1 = ShapeRules.WrapDim(dim1, rank), d2 = ShapeRules.WrapDim(dim2, rank);
        var perm = Enumerable.Range(0, rank).Where(d => d != d1 && d != d2).Append(d1).Append(d2).ToArray();
        var moved = Aten.Call(Aten.Permute, self, perm.Select(d => (long)d).ToArray());
        SymInt rows = self.Shape[d1], cols = self.Shape[d2], length = src.Shape[^1];
        // Contiguous, as the op's own result (ScatterInverse) is; a plain clone would keep a transposed self's strides.
        if (length.AsConstant == 0) return Aten.CallKw(Aten.Clone, [self], ("memory_format", MemoryFormat.Contiguous));
        var i = Aten.Call(Aten.ArangeStartStep, 0L, rows, 1L);
        var j = Aten.Call(Aten.ArangeStartStep, 0L, cols, 1L);
        var onDiagonal = Aten.Call(Aten.EqScalar, Aten.Call(Aten.Sub, Aten.Call(Aten.Unsqueeze, j, 0L), Aten.Call(Aten.Unsqueeze, i, 1L)), offset);
        // The diagonal index of each row (or column), clamped into range; off-diagonal entries are masked anyway.
        var along = offset >= 0 ? i : j;
        var k = Aten.Call(Aten.Clamp, along, 0L, length - 1);
        var spread = Aten.Call(Aten.IndexSelect, src, -1L, k);
        spread = Aten.Call(Aten.Unsqueeze, spread, offset >= 0 ? -1L : -2L);
        var result = Aten.Call(Aten.Where, onDiagonal, spread, moved);
        var inverse = new long[rank];
        for (int n = 0; n < rank; n++) inverse[perm[n]] = n;
        // Contiguous, as diagonal_scatter's result is (torch's clone alone would keep the permuted strides).
        return Aten.CallKw(Aten.Clone, [Aten.Call(Aten.Permute, result, inverse)], ("memory_format", MemoryFormat.Contiguous));
    }

    /// <summary>
    /// as_strided_scatter on self's contiguous elements: the flat positions offset + Σ index·stride the view covers
    /// (built from aranges) receive src's elements through index_put on the flattened tensor.
    /// </summary>
    private static Tensor AsStridedScatter(Tensor self, Tensor src, SymInt[] size, SymInt[] stride, SymInt storageOffset)
    {
        var flat = Aten.Call(Aten.View, Aten.CallKw(Aten.Clone, [self], ("memory_format", MemoryFormat.Contiguous)), new SymInt[] { self.Numel() });
        Tensor positions = Aten.CallKw(Aten.ScalarTensor, [storageOffset], ("dtype", DType.Int64));
        for (int d = 0; d < size.Length; d++)
        {
            var steps = Aten.Call(Aten.Mul, Aten.Call(Aten.ArangeStartStep, 0L, size[d], 1L), stride[d]);
            var shape = Enumerable.Range(0, size.Length).Select(k => k == d ? size[d] : new SymInt(1)).ToArray();
            positions = Aten.Call(Aten.Add, positions, Aten.Call(Aten.View, steps, shape));
        }
        var index = Aten.Call(Aten.View, Aten.Call(Aten.Expand, positions, size), new SymInt[] { ShapeRules.Product(size) });
        var values = Aten.Call(Aten.View, Aten.Call(Aten.Expand, src, size), new SymInt[] { ShapeRules.Product(size) });
        var written = Aten.Call(Aten.IndexPut, flat, new Tensor?[] { index }, values);
        return Aten.Call(Aten.View, written, self.Shape.AsArray());
    }
}
