namespace Graphport;

/// <summary>
/// torch's functions that build or combine tensors: eye, logspace, the stacks and atleast_*, block_diag,
/// cartesian_prod, vander, tensordot, cdist, trapezoid, searchsorted, the Kaiser and Bartlett windows, and the
/// matrix functions torch also offers outside torch.linalg (det, inverse, cholesky_solve, ...).
/// </summary>
public static partial class Torch
{
    private static readonly (string, object?)[] Placed = [("device", Device.Cpu), ("pin_memory", false)];

    private static (string, object?)[] Typed(DType? dtype) => dtype is null ? Placed : [("dtype", dtype), .. Placed];

    /// <summary>The n × m identity (n × n without m), float32 unless a dtype is given.</summary>
    public static Tensor Eye(long n, long? m = null, DType? dtype = null) =>
        m is long columns ? Aten.CallKw(Aten.EyeM, [(SymInt)n, (SymInt)columns], Typed(dtype)) : Aten.CallKw(Aten.Eye, [(SymInt)n], Typed(dtype));

    /// <summary>steps numbers from base^start to base^end, evenly spaced in the exponent.</summary>
    public static Tensor Logspace(double start, double end, long steps, double @base = 10, DType? dtype = null) =>
        Aten.CallKw(Aten.Logspace, [start, end, steps, @base], Typed(dtype));

    /// <summary>Concatenated along the first dim after making each at least 2-D (row_stack is the same).</summary>
    public static Tensor Vstack(params Tensor[] tensors) => Aten.Call(Aten.Vstack, [tensors]);

    /// <summary>Concatenated along the second dim (the first for 1-D tensors).</summary>
    public static Tensor Hstack(params Tensor[] tensors) => Aten.Call(Aten.Hstack, [tensors]);

    /// <summary>Concatenated along the third dim after making each at least 3-D.</summary>
    public static Tensor Dstack(params Tensor[] tensors) => Aten.Call(Aten.Dstack, [tensors]);

    /// <summary>1-D tensors as columns, stacked side by side with the 2-D ones.</summary>
    public static Tensor ColumnStack(params Tensor[] tensors) => Aten.Call(Aten.ColumnStack, [tensors]);

    public static Tensor Atleast1d(Tensor x) => Aten.Call(Aten.Atleast1d, x);

    public static Tensor Atleast2d(Tensor x) => Aten.Call(Aten.Atleast2d, x);

    public static Tensor Atleast3d(Tensor x) => Aten.Call(Aten.Atleast3d, x);

    /// <summary>The tensors expanded to their common broadcast shape.</summary>
    public static Tensor[] BroadcastTensors(params Tensor[] tensors) => (Tensor[])Aten.Dispatch(Aten.BroadcastTensors, [tensors])!;

    /// <summary>A block-diagonal matrix of the tensors (0-D and 1-D ones as single rows).</summary>
    public static Tensor BlockDiag(params Tensor[] tensors) => Aten.Call(Aten.BlockDiag, [tensors]);

    /// <summary>Every combination of the 1-D tensors' elements, one per row, the last varying fastest.</summary>
    public static Tensor CartesianProd(params Tensor[] tensors) => Aten.Call(Aten.CartesianProd, [tensors]);

    /// <summary>The Vandermonde matrix of x: columns x^(N-1) … x^0 (or increasing powers).</summary>
    public static Tensor Vander(Tensor x, long? n = null, bool increasing = false) => Aten.Call(Aten.Vander, x, n, increasing);

    /// <summary>Sums of products over a's last dims and b's first dims (dims of each).</summary>
    public static Tensor Tensordot(Tensor a, Tensor b, long dims = 2) =>
        Aten.Call(Aten.Tensordot, a, b, Enumerable.Range(a.Ndim - (int)dims, (int)dims).Select(d => (long)d).ToArray(), Enumerable.Range(0, (int)dims).Select(d => (long)d).ToArray());

    /// <summary>Sums of products over dimsA of a paired with dimsB of b.</summary>
    public static Tensor Tensordot(Tensor a, Tensor b, long[] dimsA, long[] dimsB) => Aten.Call(Aten.Tensordot, a, b, dimsA, dimsB);

    /// <summary>The p-norm distance between each row of x1 and each row of x2 (batched).</summary>
    public static Tensor Cdist(Tensor x1, Tensor x2, double p = 2) => Aten.Call(Aten.Cdist, x1, x2, p, null);

    /// <summary>The trapezoidal rule's integral of y along dim with spacing dx.</summary>
    public static Tensor Trapezoid(Tensor y, double dx = 1, long dim = -1) => Aten.CallKw(Aten.TrapezoidDx, [y], ("dx", dx), ("dim", dim));

    /// <summary>The trapezoidal rule's integral of y over the sample points x along dim.</summary>
    public static Tensor Trapezoid(Tensor y, Tensor x, long dim = -1) => Aten.CallKw(Aten.TrapezoidX, [y, x], ("dim", dim));

    /// <summary>The running trapezoidal integral along dim (one element shorter).</summary>
    public static Tensor CumulativeTrapezoid(Tensor y, double dx = 1, long dim = -1) => Aten.CallKw(Aten.CumulativeTrapezoidDx, [y], ("dx", dx), ("dim", dim));

    public static Tensor CumulativeTrapezoid(Tensor y, Tensor x, long dim = -1) => Aten.CallKw(Aten.CumulativeTrapezoidX, [y, x], ("dim", dim));

    /// <summary>Where each value would be inserted into the sorted last dim of sortedSequence (after equal ones with right).</summary>
    public static Tensor Searchsorted(Tensor sortedSequence, Tensor values, bool right = false, Tensor? sorter = null) =>
        Aten.CallKw(Aten.SearchsortedTensor, [sortedSequence, values], ("right", right), ("sorter", sorter));

    /// <summary>The Kaiser window I0(β√(1 - x²))/I0(β) (periodic: the last of length + 1 points dropped).</summary>
    public static Tensor KaiserWindow(long windowLength, bool periodic = true, double beta = 12.0, DType? dtype = null) =>
        Aten.CallKw(Aten.KaiserWindowBeta, [windowLength, periodic, beta], Typed(dtype));

    /// <summary>The triangular Bartlett window.</summary>
    public static Tensor BartlettWindow(long windowLength, bool periodic = true, DType? dtype = null) =>
        Aten.CallKw(Aten.BartlettWindowPeriodic, [windowLength, periodic], Typed(dtype));

    /// <summary>|x - y| ≤ atol + rtol · |y| elementwise.</summary>
    public static Tensor IsClose(Tensor x, Tensor y, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false) => x.IsClose(y, rtol, atol, equalNan);

    public static Tensor Det(Tensor a) => Aten.Call(Aten.Det, a);

    public static Tensor Logdet(Tensor a) => Aten.Call(Aten.Logdet, a);

    public static Tensor Inverse(Tensor a) => Aten.Call(Aten.Inverse, a);

    /// <summary>P, L and U from LuFactor's packed factors and int32 pivots (torch.lu_unpack).</summary>
    public static (Tensor P, Tensor L, Tensor U) LuUnpack(Tensor lu, Tensor pivots)
    {
        var parts = Aten.CallMulti(Aten.LuUnpack, lu, pivots);
        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>X with A X = B, given A's Cholesky factor (lower unless upper).</summary>
    public static Tensor CholeskySolve(Tensor b, Tensor factor, bool upper = false) => Aten.Call(Aten.CholeskySolve, b, factor, upper);
}
