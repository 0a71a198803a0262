using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Tensors built from others or from sizes, as torch decomposes them: eye, logspace, diag_embed, diagflat,
/// block_diag, cartesian_prod, vander, tensordot, inner, trapezoid and cumulative_trapezoid, and the Kaiser and
/// Bartlett windows.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Eye = Composite($"eye(SymInt n, *, {FactoryOptions}) -> Tensor", EyeBody);
    public static readonly OpOverload EyeM = Composite($"eye.m(SymInt n, SymInt m, *, {FactoryOptions}) -> Tensor", EyeMBody);
    public static readonly OpOverload Logspace = Composite($"logspace(Scalar start, Scalar end, int steps, float base=10.0, *, {FactoryOptions}) -> Tensor", LogspaceBody);
    public static readonly OpOverload DiagEmbed = Composite("diag_embed(Tensor self, int offset=0, int dim1=-2, int dim2=-1) -> Tensor", DiagEmbedBody);
    public static readonly OpOverload Diagflat = Composite("diagflat(Tensor self, int offset=0) -> Tensor", DiagflatBody);
    public static readonly OpOverload BlockDiag = Composite("block_diag(Tensor[] tensors) -> Tensor", BlockDiagBody);
    public static readonly OpOverload CartesianProd = Composite("cartesian_prod(Tensor[] tensors) -> Tensor", CartesianProdBody);
    public static readonly OpOverload Vander = Composite("vander(Tensor x, int? N=None, bool increasing=False) -> Tensor", VanderBody);
    public static readonly OpOverload Tensordot = Composite("tensordot(Tensor self, Tensor other, int[] dims_self, int[] dims_other) -> Tensor", TensordotBody);
    public static readonly OpOverload Inner = Composite("inner(Tensor self, Tensor other) -> Tensor", InnerBody);
    public static readonly OpOverload TrapezoidX = Composite("trapezoid.x(Tensor y, Tensor x, *, int dim=-1) -> Tensor", TrapezoidXBody);
    public static readonly OpOverload TrapezoidDx = Composite("trapezoid.dx(Tensor y, *, Scalar dx=1, int dim=-1) -> Tensor", TrapezoidDxBody);
    public static readonly OpOverload CumulativeTrapezoidX = Composite("cumulative_trapezoid.x(Tensor y, Tensor x, *, int dim=-1) -> Tensor", CumulativeTrapezoidXBody);
    public static readonly OpOverload CumulativeTrapezoidDx = Composite("cumulative_trapezoid.dx(Tensor y, *, Scalar dx=1, int dim=-1) -> Tensor", CumulativeTrapezoidDxBody);
    public static readonly OpOverload KaiserWindow = Composite($"kaiser_window(int window_length, *, {FactoryOptions}) -> Tensor", KaiserWindowBody);
    public static readonly OpOverload KaiserWindowPeriodic = Composite($"kaiser_window.periodic(int window_length, bool periodic, *, {FactoryOptions}) -> Tensor", KaiserWindowPeriodicBody);
    public static readonly OpOverload KaiserWindowBeta = Composite($"kaiser_window.beta(int window_length, bool periodic, float beta, *, {FactoryOptions}) -> Tensor", KaiserWindowBetaBody);
    public static readonly OpOverload BartlettWindow = Composite($"bartlett_window(int window_length, *, {FactoryOptions}) -> Tensor", BartlettWindowBody);
    public static readonly OpOverload BartlettWindowPeriodic = Composite($"bartlett_window.periodic(int window_length, bool periodic, *, {FactoryOptions}) -> Tensor", BartlettWindowPeriodicBody);

    private static object? EyeBody(object?[] a) => Identity(S(a[0]), S(a[0]), a[1]);

    private static object? EyeMBody(object?[] a) => Identity(S(a[0]), S(a[1]), a[2]);

    // arange(n)[:, None] == arange(m), in the dtype asked for (float32 by default).
    private static Tensor Identity(SymInt n, SymInt m, object? dtype)
    {
        if (n.AsConstant is < 0) throw new ArgumentException($"n must be greater or equal to 0, got {n}");
        if (m.AsConstant is < 0) throw new ArgumentException($"m must be greater or equal to 0, got {m}");
        var rows = Call(Unsqueeze, CallKw(ArangeStartStep, [0L, n.AsConstant is { } nc ? nc : n, 1L]), -1L);
        var cols = CallKw(ArangeStartStep, [0L, m.AsConstant is { } mc ? mc : m, 1L]);
        return Call(ToDType, Call(EqTensor, rows, cols), (DType?)dtype ?? DTypeInfo.DefaultFloat);
    }

    // base ** linspace(start, end, steps), computed in double and rounded to the dtype.
    private static object? LogspaceBody(object?[] a)
    {
        var dtype = (DType?)a[4] ?? DTypeInfo.DefaultFloat;
        var exponents = CallKw(Linspace, [a[0], a[1], a[2]], ("dtype", DType.Float64));
        return Call(ToDType, Call(PowScalar, D(a[3]), exponents), dtype);
    }

    // A zero tensor whose (dim1, dim2) diagonal at offset is self's last dim.
    private static object? DiagEmbedBody(object?[] a)
    {
        var self = T0(a);
        long offset = L(a[1]);
        int rank = self.Ndim + 1;
        int dim1 = ShapeRules.WrapDim(L(a[2]), rank), dim2 = ShapeRules.WrapDim(L(a[3]), rank);
        if (dim1 == dim2) throw new ArgumentException($"diagonal dimensions cannot be identical {L(a[2])}, {L(a[3])}");
        if (self.Ndim == 0) throw new ArgumentException("diag_embed: expected a tensor with at least one dimension, got a 0-D tensor; unsqueeze it first.");
        var side = self.Shape[self.Ndim - 1] + Math.Abs(offset);
        var batch = new Queue<SymInt>(self.Shape.AsArray().Take(self.Ndim - 1));
        var shape = Enumerable.Range(0, rank).Select(d => d == dim1 || d == dim2 ? side : batch.Dequeue()).ToArray();
        return Call(DiagonalScatter, CallKw(Zeros, [shape], ("dtype", self.DType)), self, offset, (long)dim1, (long)dim2);
    }

    private static object? DiagflatBody(object?[] a) => Call(Diag, Call(Reshape, a[0], new SymInt[] { -1 }), a[1]);

    // Each block (0-D and 1-D ones as rows) placed corner to corner; the dtype all of them promote to.
    private static object? BlockDiagBody(object?[] a)
    {
        var tensors = (Tensor[])a[0]!;
        if (tensors.Length == 0) return CallKw(Zeros, [new SymInt[] { 1, 0 }]);
        var blocks = tensors.Select((t, i) => t.Ndim switch
        {
            0 => Call(Reshape, t, new SymInt[] { 1, 1 }),
            1 => Call(Unsqueeze, t, 0L),
            2 => t,
            _ => throw new ArgumentException($"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has {t.Ndim} dimensions"),
        }).ToArray();
        var dtype = blocks.Select(b => b.DType).Aggregate(DTypeInfo.Promote);
        SymInt width = blocks.Aggregate((SymInt)0, (sum, b) => sum + b.Shape[1]);
        var rows = new List<Tensor>();
        SymInt before = 0;
        foreach (var block in blocks)
        {
            var after = width - before - block.Shape[1];
            var row = Call(ConstantPadNd, Call(ToDType, block, dtype), new[] { before, after }, 0L);
            rows.Add(row);
            before += block.Shape[1];
        }
        return Call(Cat, rows.ToArray(), 0L);
    }

    // Every combination, the last tensor varying fastest (meshgrid "ij", flattened and stacked as columns).
    private static object? CartesianProdBody(object?[] a)
    {
        var tensors = (Tensor[])a[0]!;
        if (tensors.Any(t => t.Ndim != 1)) throw new ArgumentException("Expect a 1D vector, but got shape with more dimensions; cartesian_prod takes 1-D tensors.");
        if (tensors.Length == 1) return tensors[0];
        var grids = (Tensor[])Dispatch(MeshgridIndexing, [tensors], ("indexing", "ij"))!;
        return Call(Stack, grids.Select(g => Call(Reshape, g, new SymInt[] { -1 })).ToArray(), 1L);
    }

    // Columns x^(N-1) … x^0 (or increasing), by running products of x as torch computes them.
    private static object? VanderBody(object?[] a)
    {
        var x = T0(a);
        if (x.Ndim != 1) throw new ArgumentException("x must be a one-dimensional tensor.");
        var columns = a[1] is null ? x.Shape[0] : (SymInt)L(a[1]);
        if (columns.AsConstant is < 0) throw new ArgumentException("N must be non-negative.");
        var dtype = DTypeInfo.Promote(x.DType, DType.Int64);
        var count = columns.AsConstant ?? throw new ArgumentException("vander: N must be a number; give it when x's length is dynamic.");
        Tensor result;
        if (count == 0) result = CallKw(Zeros, [new[] { x.Shape[0], (SymInt)0 }], ("dtype", dtype));
        else
        {
            var ones = CallKw(Ones, [new[] { x.Shape[0], (SymInt)1 }], ("dtype", dtype));
            if (count == 1) result = ones;
            else
            {
                var repeated = Call(Expand, Call(Unsqueeze, Call(ToDType, x, dtype), 1L), new[] { x.Shape[0], (SymInt)(count - 1) });
                result = Call(Cat, new[] { ones, Call(Cumprod, repeated, 1L) }, 1L);
            }
        }
        return B(a[2]) ? result : Call(Flip, result, new long[] { 1 });
    }

    // self's dims_self contracted with other's dims_other: permuted and reshaped to one matrix product.
    private static object? TensordotBody(object?[] a)
    {
        Tensor x = T0(a), y = Tn(a, 1);
        var dimsX = Ls(a[2]).Select(d => ShapeRules.WrapDim(d, x.Ndim)).ToArray();
        var dimsY = Ls(a[3]).Select(d => ShapeRules.WrapDim(d, y.Ndim)).ToArray();
        if (dimsX.Length != dimsY.Length) throw new ArgumentException($"both dimension lists should have same length, got {dimsX.Length} and {dimsY.Length}");
        for (int i = 0; i < dimsX.Length; i++)
            if (x.Shape[dimsX[i]].AsConstant is { } sx && y.Shape[dimsY[i]].AsConstant is { } sy && sx != sy)
                throw new ArgumentException($"contracted dimensions need to match, but first has size {sx} in dim {dimsX[i]} and second has size {sy} in dim {dimsY[i]}");
        if (x.DType != y.DType) throw new ArgumentException($"expected both tensors of one dtype, got {x.DType.TorchName()} and {y.DType.TorchName()}; convert one.");
        var freeX = Enumerable.Range(0, x.Ndim).Except(dimsX).ToArray();
        var freeY = Enumerable.Range(0, y.Ndim).Except(dimsY).ToArray();
        SymInt Product(Tensor t, IEnumerable<int> dims) => dims.Aggregate((SymInt)1, (p, d) => p * t.Shape[d]);
        var left = Call(Reshape, Call(Permute, x, freeX.Concat(dimsX).Select(d => (long)d).ToArray()), new[] { Product(x, freeX), Product(x, dimsX) });
        var right = Call(Reshape, Call(Permute, y, dimsY.Concat(freeY).Select(d => (long)d).ToArray()), new[] { Product(y, dimsY), Product(y, freeY) });
        var shape = freeX.Select(d => x.Shape[d]).Concat(freeY.Select(d => y.Shape[d])).ToArray();
        return Call(Reshape, Call(Mm, left, right), shape);
    }

    private static object? InnerBody(object?[] a)
    {
        Tensor x = T0(a), y = Tn(a, 1);
        if (x.Ndim == 0 || y.Ndim == 0) return Call(Mul, x, y);
        return Call(Tensordot, x, y, new long[] { -1 }, new long[] { -1 });
    }

    // Σ (x[i+1] - x[i]) · (y[i+1] + y[i]) / 2 along dim.
    private static object? TrapezoidXBody(object?[] a)
    {
        var (y, dim) = (T0(a), ShapeRules.WrapDim(L(a[2]), Math.Max(T0(a).Ndim, 1)));
        var spacing = Tn(a, 1);
        if (y.Shape[dim].AsConstant == 0) return Call(SumDim, y, new long[] { dim });
        var dx = spacing.Ndim == 1 ? Call(Diff, spacing, 1L, 0L, null, null) : Call(Diff, spacing, 1L, (long)dim, null, null);
        if (spacing.Ndim == 1 && y.Ndim > 1)
            dx = Call(Reshape, dx, Enumerable.Range(0, y.Ndim).Select(d => d == dim ? (SymInt)(-1) : 1).ToArray());
        return Call(Div, Call(SumDim, Call(Mul, dx, PairSums(y, dim)), new long[] { dim }), 2.0);
    }

    private static object? TrapezoidDxBody(object?[] a)
    {
        var y = T0(a);
        int dim = ShapeRules.WrapDim(L(a[2]), Math.Max(y.Ndim, 1));
        if (y.Shape[dim].AsConstant == 0) return Call(SumDim, y, new long[] { dim });
        return Call(Mul, Call(SumDim, PairSums(y, dim), new long[] { dim }), D(a[1]) / 2);
    }

    private static object? CumulativeTrapezoidXBody(object?[] a)
    {
        var (y, spacing) = (T0(a), Tn(a, 1));
        int dim = ShapeRules.WrapDim(L(a[2]), Math.Max(y.Ndim, 1));
        var dx = spacing.Ndim == 1 ? Call(Diff, spacing, 1L, 0L, null, null) : Call(Diff, spacing, 1L, (long)dim, null, null);
        if (spacing.Ndim == 1 && y.Ndim > 1)
            dx = Call(Reshape, dx, Enumerable.Range(0, y.Ndim).Select(d => d == dim ? (SymInt)(-1) : 1).ToArray());
        return Call(Cumsum, Call(Div, Call(Mul, dx, PairSums(y, dim)), 2.0), (long)dim);
    }

    private static object? CumulativeTrapezoidDxBody(object?[] a)
    {
        var y = T0(a);
        int dim = ShapeRules.WrapDim(L(a[2]), Math.Max(y.Ndim, 1));
        return Call(Cumsum, Call(Mul, PairSums(y, dim), D(a[1]) / 2), (long)dim);
    }

    // y[1:] + y[:-1] along dim.
    private static Tensor PairSums(Tensor y, int dim)
    {
        var length = y.Shape[dim];
        return Call(Add, Call(Slice, y, (long)dim, (SymInt)1, length, 1L), Call(Slice, y, (long)dim, (SymInt)0, length - 1, 1L));
    }

    private static object? KaiserWindowBody(object?[] a) => Kaiser(L(a[0]), true, 12.0, a[1]);

    private static object? KaiserWindowPeriodicBody(object?[] a) => Kaiser(L(a[0]), B(a[1]), 12.0, a[2]);

    private static object? KaiserWindowBetaBody(object?[] a) => Kaiser(L(a[0]), B(a[1]), D(a[2]), a[3]);

    // I0(β·√(1 - x²)) / I0(β) at the window's points x.
    private static Tensor Kaiser(long length, bool periodic, double beta, object? dtype)
    {
        if (WindowPositions("kaiser_window", length, periodic, dtype) is not { } position) return CallKw(Ones, [new SymInt[] { length }], ("dtype", (DType?)dtype ?? DTypeInfo.DefaultFloat));
        var argument = Call(Mul, Call(Sqrt, Call(ClampMin, Call(Rsub, Call(Mul, position, position), 1.0), 0.0)), beta);
        return Call(Div, Call(I0, argument), Cpu.SpecialFunctions.BesselI0(beta));
    }

    private static object? BartlettWindowBody(object?[] a) => Bartlett(L(a[0]), true, a[1]);

    private static object? BartlettWindowPeriodicBody(object?[] a) => Bartlett(L(a[0]), B(a[1]), a[2]);

    // 1 - |x| at the window's points x.
    private static Tensor Bartlett(long length, bool periodic, object? dtype)
    {
        if (WindowPositions("bartlett_window", length, periodic, dtype) is not { } position) return CallKw(Ones, [new SymInt[] { length }], ("dtype", (DType?)dtype ?? DTypeInfo.DefaultFloat));
        return Call(Rsub, Call(Abs, position), 1.0);
    }

    // The window's points as 2n/(N-1) - 1 in [-1, 1], N one longer when periodic (its last point dropped); null for a
    // window of one point or none, which is all ones.
    private static Tensor? WindowPositions(string name, long length, bool periodic, object? dtype)
    {
        var type = (DType?)dtype ?? DTypeInfo.DefaultFloat;
        if (length < 0) throw new ArgumentException($"{name} requires non-negative window_length, got window_length={length}");
        if (!type.IsFloatingPoint()) throw new ArgumentException($"{name} expects floating point dtypes, got: {type.TorchName()}");
        if (length <= 1) return null;
        long n = periodic ? length + 1 : length;
        return Call(Sub, Call(Mul, CallKw(ArangeStartStep, [0L, length, 1L], ("dtype", type)), 2.0 / (n - 1)), 1.0);
    }
}
