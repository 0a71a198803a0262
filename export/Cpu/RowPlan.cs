namespace Graphport.Cpu;

/// <summary>
/// Walks several same-shaped strided operands row by row in row-major order of the shape, after merging dims
/// that are contiguous in every operand, so the inner row is as long as possible and its strides are uniform.
/// </summary>
internal sealed class RowPlan
{
    public readonly int Operands;
    public readonly long InnerSize;
    public readonly long RowCount;
    public readonly long[] InnerStrides;
    private readonly long[] _outerShape;
    private readonly long[][] _outerStrides;
    private readonly long[] _baseOffsets;

    public RowPlan(ReadOnlySpan<long> shape, params StridedLayout[] layouts)
    {
        Operands = layouts.Length;
        var dims = new List<long>();
        var strides = new List<long[]>();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            var s = new long[Operands];
            for (int o = 0; o < Operands; o++) s[o] = layouts[o].Strides[d];
            if (dims.Count > 0)
            {
                long prevSize = dims[^1];
                var prev = strides[^1];
                bool merge = true;
                for (int o = 0; o < Operands && merge; o++) merge = prev[o] == s[o] * shape[d];
                if (merge)
                {
                    dims[^1] = prevSize * shape[d];
                    strides[^1] = s;
                    continue;
                }
            }
            dims.Add(shape[d]);
            strides.Add(s);
        }
        _baseOffsets = new long[Operands];
        for (int o = 0; o < Operands; o++) _baseOffsets[o] = layouts[o].Offset;
        if (ShapeMath.Numel(shape) == 0)
        {
            InnerSize = 0;
            RowCount = 0;
            InnerStrides = new long[Operands];
            _outerShape = [];
            _outerStrides = [];
            return;
        }
        if (dims.Count == 0)
        {
            dims.Add(1);
            strides.Add(new long[Operands]);
        }
        InnerSize = dims[^1];
        InnerStrides = strides[^1];
        int outer = dims.Count - 1;
        _outerShape = new long[outer];
        _outerStrides = new long[outer][];
        long rows = 1;
        for (int d = 0; d < outer; d++)
        {
            _outerShape[d] = dims[d];
            _outerStrides[d] = strides[d];
            rows *= dims[d];
        }
        RowCount = rows;
    }

    public int OuterRank => _outerShape.Length;

    /// <summary>A cursor positioned at row <paramref name="row"/>; its Offsets are the operands' flat indices of the row start.</summary>
    public Cursor At(long row) => new(this, row);

    public sealed class Cursor
    {
        private readonly RowPlan _plan;
        private readonly long[] _index;
        public readonly long[] Offsets;

        public Cursor(RowPlan plan, long row)
        {
            _plan = plan;
            _index = new long[plan.OuterRank];
            Offsets = (long[])plan._baseOffsets.Clone();
            for (int d = plan.OuterRank - 1; d >= 0; d--)
            {
                long size = plan._outerShape[d];
                long i = row % size;
                row /= size;
                _index[d] = i;
                for (int o = 0; o < plan.Operands; o++) Offsets[o] += i * plan._outerStrides[d][o];
            }
        }

        public void Next()
        {
            for (int d = _plan.OuterRank - 1; d >= 0; d--)
            {
                var st = _plan._outerStrides[d];
                if (++_index[d] < _plan._outerShape[d])
                {
                    for (int o = 0; o < Offsets.Length; o++) Offsets[o] += st[o];
                    return;
                }
                long back = _index[d] - 1;
                _index[d] = 0;
                for (int o = 0; o < Offsets.Length; o++) Offsets[o] -= back * st[o];
            }
        }
    }
}
