using Graphport.Operators;
using Graphport.Shapes;
using Graphport.Tracing;

namespace Graphport;

/// <summary>
/// Core ATen factories and data-dependent ops: empty_strided, randperm, resize_ (mutating), and the ops whose
/// output size or value depends on tensor data (nonzero, _local_scalar_dense): while tracing their meta returns
/// a fresh unbacked symbol u{n}; eagerly the real value is computed.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload EmptyStrided = Def($"empty_strided(SymInt[] size, SymInt[] stride, *, {FactoryOptions}) -> Tensor", meta: a =>
    {
        var size = Ss(a[0]);
        var stride = Ss(a[1]);
        if (size.Length != stride.Length) throw new ArgumentException($"mismatch in length of strides and shape: {size.Length} sizes, {stride.Length} strides");
        SizedMeta(a[0], DType.Float32);
        return new TensorMeta((DType?)a[2] ?? DType.Float32, size, stride);
    }, kernel: a =>
    {
        var size = Ls(a[0]);
        var stride = Ls(a[1]);
        // Enough storage for the farthest element the strides reach.
        long extent = size.Any(s => s == 0) ? 0 : 1 + size.Zip(stride).Sum(p => (p.First - 1) * p.Second);
        return new Tensor(Storage.Allocate((DType?)a[2] ?? DType.Float32, extent), size, stride, 0);
    }, tags: "core");

    public static readonly OpOverload Randperm = Def("randperm(SymInt n, *, ScalarType? dtype=long, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", meta: a =>
    {
        if (S(a[0]).AsConstant is < 0) throw new ArgumentException($"n must be non-negative, got {S(a[0])}");
        return new TensorMeta(a[1] as DType? ?? DType.Int64, [S(a[0])]);
    }, kernel: a =>
    {
        long n = L(a[0]);
        // A permutation as the stable argsort of n uniform keys drawn from the default generator.
        var keys = new double[n];
        Cpu.RandomGenerator.Default.FillUniform(keys);
        var order = Enumerable.Range(0, (int)n).Select(i => (long)i).OrderBy(i => keys[i]).ToArray();
        return Eager.Wrap(order, [n], a[1] as DType? ?? DType.Int64);
    }, tags: "core,nondeterministic_seeded");

    /// <summary>
    /// resize_ changes a real tensor's sizes in place (contiguous strides; storage grown with the old elements kept
    /// in front, new ones zero). Tracing cannot functionalize it: there is no functional resize op, so export
    /// reports that resize_ has no functional variant.
    /// </summary>
    public static readonly OpOverload Resize_ = Def("resize_(Tensor(a!) self, SymInt[] size, *, MemoryFormat? memory_format=None) -> Tensor(a!)",
        meta: a => SizedMeta(a[1], T0(a).DType),
        kernel: a =>
        {
            T0(a).ResizeInPlace(Ls(a[1]));
            return T0(a);
        }, tags: "core");

    /// <summary>The ShapeEnv of the export being traced, for ops that create data-dependent symbols.</summary>
    private static ShapeEnv TracingShapeEnv(string op) =>
        Tracer.Current?.ShapeEnv ?? throw new InvalidOperationException($"{op}: a traced tensor was used outside of its export.");

    public static readonly OpOverload Nonzero = Def("nonzero(Tensor self) -> Tensor", meta: a =>
    {
        var self = T0(a);
        if (!self.IsFake) return new TensorMeta(DType.Int64, [CountNonzero(self), self.Ndim]);
        var numel = self.Numel();
        var count = TracingShapeEnv("nonzero").CreateUnbackedSymbol("nonzero()", new ValueRange(0, numel.AsConstant ?? ValueRange.Infinity));
        // torch checks the count against its range when the program runs (u0 >= 0, u0 <= numel right after the
        // nonzero node), although the range already says so: the range is what those checks establish.
        Tracer.Current?.DeferRuntimeAssert((count >= 0L).Expr);
        Tracer.Current?.DeferRuntimeAssert((count <= numel).Expr);
        return new TensorMeta(DType.Int64, [count, self.Ndim]);
    }, kernel: a =>
    {
        var self = T0(a);
        var mask = Eager.Dense<bool>(self);
        var sizes = self.Sizes;
        var coordinates = new List<long>();
        long count = 0;
        var index = new long[sizes.Length];
        for (long n = 0; n < mask.LongLength; n++)
        {
            if (mask[n])
            {
                coordinates.AddRange(index);
                count++;
            }
            StridedLoops.Increment(index, sizes);
        }
        return Eager.Wrap(coordinates.ToArray(), [count, sizes.Length], DType.Int64);
    }, tags: "core");

    private static long CountNonzero(Tensor t) => Eager.Dense<bool>(t).LongCount(b => b);

    public static readonly OpOverload LocalScalarDense = Def("_local_scalar_dense(Tensor self) -> Scalar", meta: a =>
    {
        var self = T0(a);
        if (!(self.Numel() == 1))
            throw new ArgumentException($"a Tensor with {self.Numel().Hint} elements cannot be converted to Scalar");
        if (!self.IsFake) return LocalScalar(self);
        if (self.DType.IsFloatingPoint())
            throw new DataDependentException("Reading a floating-point value out of a tensor while tracing needs a symbolic float, which Graphport does not have; keep the value a tensor.");
        var range = self.DType == DType.Bool ? new ValueRange(0, 1) : ValueRange.Unknown;
        return TracingShapeEnv("_local_scalar_dense").CreateUnbackedSymbol("item()", range);
    }, kernel: a => LocalScalar(T0(a)), tags: "core,data_dependent_output");

    /// <summary>The element of a one-element tensor as the Scalar torch returns: double, long or bool by dtype.</summary>
    private static object LocalScalar(Tensor t)
    {
        if (t.DType.IsFloatingPoint()) return Eager.Dense<double>(t)[0];
        if (t.DType == DType.Bool) return Eager.Dense<bool>(t)[0];
        return Eager.Dense<long>(t)[0];
    }
}
