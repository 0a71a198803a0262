using Graphport.Operators;

namespace Graphport;

/// <summary>
/// triu_indices and tril_indices: the (row, column) pairs of a row × col matrix's upper or lower triangle (offset
/// diagonals up), as a 2 × N tensor in row-major order. The sizes are plain numbers, so the pairs are a constant
/// the program carries (torch's export keeps these factories as nodes).
/// </summary>
internal static partial class Aten
{
    private const string TriangleFactoryOptions = "ScalarType? dtype=long, Layout? layout=None, Device? device=None, bool? pin_memory=None";

    public static readonly OpOverload TriuIndices = Composite($"triu_indices(int row, int col, int offset=0, *, {TriangleFactoryOptions}) -> Tensor", TriuIndicesBody);
    public static readonly OpOverload TrilIndices = Composite($"tril_indices(int row, int col, int offset=0, *, {TriangleFactoryOptions}) -> Tensor", TrilIndicesBody);

    private static object? TriuIndicesBody(object?[] a) => TrianglePairs(L(a[0]), L(a[1]), L(a[2]), (DType?)a[3], upper: true);

    private static object? TrilIndicesBody(object?[] a) => TrianglePairs(L(a[0]), L(a[1]), L(a[2]), (DType?)a[3], upper: false);

    private static Tensor TrianglePairs(long rows, long cols, long offset, DType? dtype, bool upper)
    {
        if (rows < 0 || cols < 0) throw new ArgumentException($"row must be non-negative, got {rows}; col must be non-negative, got {cols}");
        var pairs = new List<(long Row, long Col)>();
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < cols; c++)
                if (upper ? c - r >= offset : c - r <= offset) pairs.Add((r, c));
        var data = pairs.Select(p => p.Row).Concat(pairs.Select(p => p.Col)).ToArray();
        var constant = Tensor.FromArray(data, 2, pairs.Count);
        return CallKw(ToCopy, [constant], ("dtype", dtype ?? DType.Int64));
    }
}
