using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>A tensor stored in a buffer: shape, strides and offset in elements (torch's view of a storage).</summary>
public sealed record StridedView(BufferRef Buffer, long Offset, IReadOnlyList<long> Shape, IReadOnlyList<long> Strides)
{
    public static StridedView Contiguous(BufferRef buffer, IReadOnlyList<long> shape) => new(buffer, 0, shape, ContiguousStrides(shape));

    public long Numel => Shape.Aggregate(1L, (a, b) => a * b);

    public bool IsContiguous => Offset == 0 && Numel == Buffer.Elements && IsDense;

    /// <summary>Row-major dense (ignoring size-1 dims), at any offset.</summary>
    public bool IsDense
    {
        get
        {
            long expected = 1;
            for (int d = Shape.Count - 1; d >= 0; d--)
            {
                if (Shape[d] == 1) continue;
                if (Strides[d] != expected) return false;
                expected *= Shape[d];
            }
            return true;
        }
    }

    /// <summary>The element read for the given coordinates.</summary>
    public IndexExpr Index(IReadOnlyList<IndexExpr> coordinates) => IndexExpr.Linearize(coordinates, Strides, Offset);

    public static long[] ContiguousStrides(IReadOnlyList<long> shape)
    {
        var strides = new long[shape.Count];
        long running = 1;
        for (int d = shape.Count - 1; d >= 0; d--)
        {
            strides[d] = running;
            running *= Math.Max(shape[d], 1);
        }
        return strides;
    }
}
