using Graphport.Operators;

namespace Graphport;

/// <summary>
/// torch.gradient: the derivative estimated along each dim by central differences inside and one-sided differences
/// of first or second order at the edges, for unit or scalar spacing or sample coordinates (unevenly spaced ones
/// weighted as numpy.gradient weights them). One result per dim.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload GradientScalarInt = Composite("gradient.scalarint(Tensor self, *, Scalar? spacing=None, int? dim=None, int edge_order=1) -> Tensor[]", GradientScalarIntBody);
    public static readonly OpOverload GradientScalarArray = Composite("gradient.scalararray(Tensor self, *, Scalar spacing, int[] dim, int edge_order=1) -> Tensor[]", GradientScalarArrayBody);
    public static readonly OpOverload GradientArray = Composite("gradient.array(Tensor self, *, int[] dim, int edge_order=1) -> Tensor[]", GradientArrayBody);
    public static readonly OpOverload GradientScalarArrayInt = Composite("gradient.scalarrayint(Tensor self, *, Scalar[] spacing, int? dim=None, int edge_order=1) -> Tensor[]", GradientScalarArrayIntBody);
    public static readonly OpOverload GradientScalarArrayArray = Composite("gradient.scalarrayarray(Tensor self, *, Scalar[] spacing, int[] dim, int edge_order=1) -> Tensor[]", GradientScalarArrayArrayBody);
    public static readonly OpOverload GradientTensorArrayInt = Composite("gradient.tensorarrayint(Tensor self, *, Tensor[] spacing, int? dim=None, int edge_order=1) -> Tensor[]", GradientTensorArrayIntBody);
    public static readonly OpOverload GradientTensorArray = Composite("gradient.tensorarray(Tensor self, *, Tensor[] spacing, int[] dim, int edge_order=1) -> Tensor[]", GradientTensorArrayBody);

    private static int[] GradientDims(Tensor x, object? dim) => dim switch
    {
        null => Enumerable.Range(0, x.Ndim).ToArray(),
        long or int or SymInt => [ShapeRules.WrapDim(L(dim), x.Ndim)],
        _ => Ls(dim).Select(d => ShapeRules.WrapDim(d, x.Ndim)).ToArray(),
    };

    private static object? GradientScalarIntBody(object?[] a) => Gradient(T0(a), GradientDims(T0(a), a[2]), _ => a[1] is null ? 1.0 : D(a[1]), L(a[3]));

    private static object? GradientScalarArrayBody(object?[] a) => Gradient(T0(a), GradientDims(T0(a), a[2]), _ => D(a[1]), L(a[3]));

    private static object? GradientArrayBody(object?[] a) => Gradient(T0(a), GradientDims(T0(a), a[1]), _ => 1.0, L(a[2]));

    private static object? GradientScalarArrayIntBody(object?[] a) => GradientOverSpacings(T0(a), GradientDims(T0(a), a[2]), ((object?[])a[1]!).Select(s => (object)D(s)).ToArray(), L(a[3]));

    private static object? GradientScalarArrayArrayBody(object?[] a) => GradientOverSpacings(T0(a), GradientDims(T0(a), a[2]), ((object?[])a[1]!).Select(s => (object)D(s)).ToArray(), L(a[3]));

    private static object? GradientTensorArrayIntBody(object?[] a) => GradientOverSpacings(T0(a), GradientDims(T0(a), a[2]), (Tensor[])a[1]!, L(a[3]));

    private static object? GradientTensorArrayBody(object?[] a) => GradientOverSpacings(T0(a), GradientDims(T0(a), a[2]), (Tensor[])a[1]!, L(a[3]));

    private static Tensor[] GradientOverSpacings(Tensor x, int[] dims, object[] spacings, long edgeOrder)
    {
        if (spacings.Length == 1 && dims.Length > 1) spacings = Enumerable.Repeat(spacings[0], dims.Length).ToArray();
        if (spacings.Length != dims.Length)
            throw new ArgumentException($"torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim arguments to have the same length, but got a spacing argument of length {spacings.Length} and a dim argument of length {dims.Length}.");
        return Gradient(x, dims, i => spacings[i], edgeOrder);
    }

    private static Tensor[] Gradient(Tensor x, int[] dims, Func<int, object> spacing, long edgeOrder)
    {
        if (edgeOrder is not (1 or 2)) throw new ArgumentException($"torch.gradient only supports edge_order=1 and edge_order=2, got {edgeOrder}.");
        if (!x.DType.IsFloatingPoint()) x = Call(ToDType, x, DTypeInfo.DefaultFloat);
        return dims.Select((dim, i) => Along(x, dim, spacing(i), edgeOrder)).ToArray();
    }

    private static Tensor Along(Tensor x, int dim, object spacing, long edgeOrder)
    {
        long n = (long)x.Shape[dim];
        if (n < edgeOrder + 1)
            throw new ArgumentException($"torch.gradient expected each dimension size to be at least edge_order+1, but dimension {dim} has size {n}.");
        Tensor At(long start, long end) => Call(Slice, x, (long)dim, (SymInt)start, (SymInt)end, 1L);
        if (spacing is Tensor coordinates)
        {
            if (coordinates.Ndim != 1 || coordinates.Shape[0].AsConstant != n)
                throw new ArgumentException($"torch.gradient expected each tensor to be on the same device and to have as many values as dimension {dim} (size {n}).");
            var c = Call(ToDType, coordinates, x.DType);
            // Coordinates shaped to broadcast along dim.
            Tensor Coord(long start, long end) => Call(Reshape, Call(Slice, c, 0L, (SymInt)start, (SymInt)end, 1L), Enumerable.Range(0, x.Ndim).Select(d => d == dim ? (SymInt)(-1) : 1).ToArray());
            var left = Call(Sub, Coord(1, n - 1), Coord(0, n - 2));
            var right = Call(Sub, Coord(2, n), Coord(1, n - 1));
            var interior = Call(Div,
                Call(Add, Call(Sub, Call(Mul, Call(Mul, left, left), At(2, n)), Call(Mul, Call(Mul, right, right), At(0, n - 2))),
                    Call(Mul, Call(Sub, Call(Mul, right, right), Call(Mul, left, left)), At(1, n - 1))),
                Call(Mul, Call(Mul, left, right), Call(Add, left, right)));
            Tensor first, last;
            if (edgeOrder == 1)
            {
                first = Call(Div, Call(Sub, At(1, 2), At(0, 1)), Call(Sub, Coord(1, 2), Coord(0, 1)));
                last = Call(Div, Call(Sub, At(n - 1, n), At(n - 2, n - 1)), Call(Sub, Coord(n - 1, n), Coord(n - 2, n - 1)));
            }
            else
            {
                Tensor d1 = Call(Sub, Coord(1, 2), Coord(0, 1)), d2 = Call(Sub, Coord(2, 3), Coord(1, 2));
                var sum = Call(Add, d1, d2);
                first = Call(Add, Call(Add,
                    Call(Mul, At(0, 1), Call(Neg, Call(Div, Call(Add, Call(Mul, d1, 2.0), d2), Call(Mul, d1, sum)))),
                    Call(Mul, At(1, 2), Call(Div, sum, Call(Mul, d1, d2)))),
                    Call(Mul, At(2, 3), Call(Neg, Call(Div, d1, Call(Mul, d2, sum)))));
                Tensor e1 = Call(Sub, Coord(n - 2, n - 1), Coord(n - 3, n - 2)), e2 = Call(Sub, Coord(n - 1, n), Coord(n - 2, n - 1));
                var total = Call(Add, e1, e2);
                last = Call(Add, Call(Add,
                    Call(Mul, At(n - 3, n - 2), Call(Div, e2, Call(Mul, e1, total))),
                    Call(Mul, At(n - 2, n - 1), Call(Neg, Call(Div, total, Call(Mul, e1, e2))))),
                    Call(Mul, At(n - 1, n), Call(Div, Call(Add, Call(Mul, e2, 2.0), e1), Call(Mul, e2, total))));
            }
            return Call(Cat, new[] { first, interior, last }, (long)dim);
        }
        double h = D(spacing);
        var middle = Call(Div, Call(Sub, At(2, n), At(0, n - 2)), 2 * h);
        Tensor start, finish;
        if (edgeOrder == 1)
        {
            start = Call(Div, Call(Sub, At(1, 2), At(0, 1)), h);
            finish = Call(Div, Call(Sub, At(n - 1, n), At(n - 2, n - 1)), h);
        }
        else
        {
            start = Call(Div, Call(Sub, Call(Sub, Call(Mul, At(1, 2), 4.0), Call(Mul, At(0, 1), 3.0)), At(2, 3)), 2 * h);
            finish = Call(Div, Call(Add, Call(Sub, Call(Mul, At(n - 1, n), 3.0), Call(Mul, At(n - 2, n - 1), 4.0)), At(n - 3, n - 2)), 2 * h);
        }
        return Call(Cat, new[] { start, middle, finish }, (long)dim);
    }
}
