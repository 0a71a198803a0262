using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Math ops torch's export keeps as single nodes in everyday model code: type_as, clip, round with decimals, diff,
/// cross, cdist, dist, linalg_norm, Tensor.unfold and erfinv, in core ops.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload TypeAs = Composite("type_as(Tensor self, Tensor other) -> Tensor", TypeAsBody);
    public static readonly OpOverload Clip = Composite("clip(Tensor self, Scalar? min=None, Scalar? max=None) -> Tensor", ClipBody);
    public static readonly OpOverload ClipTensor = Composite("clip.Tensor(Tensor self, Tensor? min=None, Tensor? max=None) -> Tensor", ClipTensorBody);
    public static readonly OpOverload RoundDecimals = Composite("round.decimals(Tensor self, *, int decimals) -> Tensor", RoundDecimalsBody);
    public static readonly OpOverload Diff = Composite("diff(Tensor self, int n=1, int dim=-1, Tensor? prepend=None, Tensor? append=None) -> Tensor", DiffBody);
    public static readonly OpOverload Cross = Composite("cross(Tensor self, Tensor other, int? dim=None) -> Tensor", CrossBody);
    public static readonly OpOverload LinalgCross = Composite("linalg_cross(Tensor self, Tensor other, *, int dim=-1) -> Tensor", LinalgCrossBody);
    public static readonly OpOverload Cdist = Composite("cdist(Tensor x1, Tensor x2, float p=2, int? compute_mode=None) -> Tensor", CdistBody);
    public static readonly OpOverload Dist = Composite("dist(Tensor self, Tensor other, Scalar p=2) -> Tensor", DistBody);
    public static readonly OpOverload LinalgNorm = Composite("linalg_norm(Tensor self, Scalar? ord=None, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", LinalgNormBody);
    public static readonly OpOverload LinalgNormOrdStr = Composite("linalg_norm.ord_str(Tensor self, str ord, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", LinalgNormOrdStrBody);
    public static readonly OpOverload Unfold = Composite("unfold(Tensor(a) self, int dimension, int size, int step) -> Tensor(a)", UnfoldBody);
    public static readonly OpOverload Erfinv = Composite("erfinv(Tensor self) -> Tensor", ErfinvBody);

    private static object? TypeAsBody(object?[] a) => Call(ToDType, a[0], Tn(a, 1).DType);

    private static object? ClipBody(object?[] a) => Call(Clamp, a[0], a[1], a[2]);

    private static object? ClipTensorBody(object?[] a) => Call(ClampTensor, a[0], a[1], a[2]);

    // round(x · 10^d) / 10^d, or round(x / 10^-d) · 10^-d for negative d, as ATen rounds to decimals.
    private static object? RoundDecimalsBody(object?[] a)
    {
        long decimals = L(a[1]);
        if (decimals == 0) return Call(Round, a[0]);
        double scale = Math.Pow(10, Math.Abs(decimals));
        return decimals > 0
            ? Call(Div, Call(Round, Call(Mul, a[0], scale)), scale)
            : Call(Mul, Call(Round, Call(Div, a[0], scale)), scale);
    }

    // n forward differences along dim, after prepend and append are joined on (logical xor for bool).
    private static object? DiffBody(object?[] a)
    {
        var x = T0(a);
        long n = L(a[1]);
        if (n < 0) throw new ArgumentException($"order must be non-negative but got {n}");
        int dim = ShapeRules.WrapDim(L(a[2]), x.Ndim);
        if (a[3] is Tensor || a[4] is Tensor)
            x = Call(Cat, new[] { a[3] as Tensor, x, a[4] as Tensor }.OfType<Tensor>().ToArray(), (long)dim);
        for (long i = 0; i < n; i++)
        {
            var length = x.Shape[dim];
            var later = Call(Slice, x, (long)dim, (SymInt)1, length, 1L);
            var earlier = Call(Slice, x, (long)dim, (SymInt)0, length - 1, 1L);
            x = x.DType == DType.Bool ? Call(LogicalXor, later, earlier) : Call(Sub, later, earlier);
        }
        return x;
    }

    // The first dim of size 3 when none is given (torch.cross's old default).
    private static object? CrossBody(object?[] a)
    {
        var x = T0(a);
        long dim = a[2] is not null ? L(a[2])
            : Enumerable.Range(0, x.Ndim).Cast<int?>().FirstOrDefault(d => x.Shape[d!.Value].AsConstant == 3) ?? throw new ArgumentException("no dimension of size 3 in input");
        return Cross3(x, Tn(a, 1), dim);
    }

    private static object? LinalgCrossBody(object?[] a) => Cross3(T0(a), Tn(a, 1), L(a[2]));

    private static Tensor Cross3(Tensor x, Tensor y, long dim)
    {
        int rank = Math.Max(x.Ndim, y.Ndim);
        int d = ShapeRules.WrapDim(dim, rank);
        if (x.Shape[d - (rank - x.Ndim)].AsConstant != 3 || y.Shape[d - (rank - y.Ndim)].AsConstant != 3)
            throw new ArgumentException($"linalg.cross: inputs dimension {dim} must have length 3. Got {x.Shape[d - (rank - x.Ndim)]} and {y.Shape[d - (rank - y.Ndim)]}");
        Tensor At(Tensor t, long i) => Call(Select, t, (long)(d - (rank - t.Ndim)), (SymInt)i);
        Tensor Term(long i, long j) => Call(Sub, Call(Mul, At(x, i), At(y, j)), Call(Mul, At(x, j), At(y, i)));
        return Call(Stack, new[] { Term(1, 2), Term(2, 0), Term(0, 1) }, (long)d);
    }

    private static object? CdistBody(object?[] a) => Call(CdistForward, a[0], a[1], a[2], a[3]);

    private static object? DistBody(object?[] a) => Call(LinalgVectorNorm, Call(Sub, a[0], a[1]), a[2]);

    // Vector norms (one dim, or a vector), and the Frobenius norm of matrices; other matrix norms are not supported.
    private static object? LinalgNormBody(object?[] a)
    {
        var self = T0(a);
        var dims = a[2] is null ? null : Longs(a[2]);
        bool matrix = dims is { Length: 2 } || (dims is null && self.Ndim == 2);
        if (matrix && a[1] is not null) return MatrixNorm(self, D(a[1]), dims ?? [-2L, -1L], B(a[3]), a[4]);
        return CallKw(LinalgVectorNorm, [self, a[1] ?? 2L, dims, a[3]], ("dtype", a[4]));
    }

    // The matrix norms of order ±1 (the largest or smallest column sum of |x|) and ±inf (row sum), over the two dims:
    // the sums along one, then the max or min along the other (one place lower when the first is gone before it).
    private static Tensor MatrixNorm(Tensor self, double ord, long[] dims, bool keepdim, object? dtype)
    {
        if (Math.Abs(ord) != 1 && !double.IsInfinity(ord))
            throw new NotSupportedException($"linalg_norm: the matrix norm of order {ord} needs singular values, which Graphport does not compute; orders 1, -1, inf, -inf and the Frobenius norm (ord=None or 'fro') are supported.");
        long summed = ShapeRules.WrapDim(dims[0], self.Ndim), reduced = ShapeRules.WrapDim(dims[1], self.Ndim);
        if (summed == reduced) throw new ArgumentException($"linalg.matrix_norm: dims must be different. Got ({dims[0]}, {dims[1]})");
        if (double.IsInfinity(ord)) (summed, reduced) = (reduced, summed);
        if (!keepdim && summed < reduced) reduced--;
        var sums = CallKw(LinalgVectorNorm, [self, 1L, new[] { summed }, keepdim], ("dtype", dtype));
        return Call(ord > 0 ? Amax : Amin, sums, new[] { reduced }, keepdim);
    }

    private static object? LinalgNormOrdStrBody(object?[] a)
    {
        if ((string)a[1]! != "fro") throw new NotSupportedException($"linalg_norm: ord='{a[1]}' is not supported; Graphport computes the Frobenius norm (ord='fro') and vector norms.");
        return CallKw(LinalgVectorNorm, [a[0], 2L, a[2] is null ? null : Longs(a[2]), a[3]], ("dtype", a[4]));
    }

    // Windows of size along dimension, step apart, as a new last dim: gathered (a copy, where torch returns a view).
    private static object? UnfoldBody(object?[] a)
    {
        var self = T0(a);
        int dim = ShapeRules.WrapDim(L(a[1]), Math.Max(self.Ndim, 1));
        long size = L(a[2]), step = L(a[3]);
        if (step <= 0) throw new ArgumentException($"step is {step} but must be > 0");
        if (self.Ndim == 0) return Call(Unsqueeze, self, 0L);
        // A symbolic length stays symbolic (an audio signal's frames): the size check is a guard, the window count an expression.
        var length = self.Shape[dim];
        if (length < size) throw new ArgumentException($"maximum size for tensor at dimension {dim} is {length} but size is {size}");
        var windows = (length - size) / step + 1;
        var starts = Call(Unsqueeze, Call(Mul, CallKw(Arange, [windows], ("dtype", DType.Int64)), step), 1L);
        var offsets = Call(Unsqueeze, CallKw(Arange, [size], ("dtype", DType.Int64)), 0L);
        var positions = Call(Reshape, Call(Add, starts, offsets), new SymInt[] { -1 });
        var gathered = Call(IndexSelect, self, (long)dim, positions);
        var shape = self.Shape.AsArray().ToList();
        shape[dim] = windows;
        shape.Insert(dim + 1, size);
        return Moved(Call(Reshape, gathered, shape.ToArray()), [dim + 1], [self.Ndim]);
    }

    // Giles' single-precision approximation (2012), then one Newton step on erf: ±inf at ±1, NaN beyond.
    private static object? ErfinvBody(object?[] a)
    {
        var y = T0(a);
        if (!y.DType.IsFloatingPoint()) y = CallKw(ToCopy, [y], ("dtype", DType.Float32));
        var w = Call(Neg, Call(Log, Call(Mul, Call(Rsub, y, 1.0), Call(Add, y, 1.0))));
        Tensor Poly(Tensor t, double[] c) => c.Skip(1).Aggregate(CallKw(FullLike, [t, c[0]]), (p, k) => Call(Add, Call(Mul, p, t), k));
        var central = Poly(Call(Sub, w, 2.5), [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]);
        var tail = Poly(Call(Sub, Call(Sqrt, w), 3.0), [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]);
        var x = Call(Mul, Call(Where, Call(LtScalar, w, 5.0), central, tail), y);
        // Newton: x - (erf(x) - y) / (2/√π · exp(-x²)).
        var slope = Call(Mul, Call(Exp, Call(Neg, Call(Mul, x, x))), 2 / Math.Sqrt(Math.PI));
        var refined = Call(Sub, x, Call(Div, Call(Sub, Call(Erf, x), y), slope));
        var edge = Call(Mul, Call(Sign, y), double.PositiveInfinity);
        var result = Call(Where, Call(EqScalar, Call(Abs, y), 1.0), edge, refined);
        return Call(WhereScalarSelf, Call(GtScalar, Call(Abs, y), 1.0), double.NaN, result);
    }
}
