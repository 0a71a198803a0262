using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>Eager kernels of reductions: dims wrapped by the meta, computed in float/double/long, cast to the result dtype.</summary>
internal static class ReductionKernels
{
    private delegate Dense<T> Reduce<T>(T[] x, StridedLayout layout, ReadOnlySpan<int> dims, bool keepdim);

    private static Tensor Run(Tensor x, int[] dims, bool keepdim, DType result, Reduce<float> f32, Reduce<double> f64, Reduce<long>? i64)
    {
        var compute = Eager.ComputeDType(result);
        if (compute == DType.Float64 || (compute == DType.Int64 && i64 is null))
        {
            var (d, l) = Eager.As<double>(x);
            return Eager.Wrap(f64(d, l, dims, keepdim), result);
        }
        if (compute == DType.Float32)
        {
            var (d, l) = Eager.As<float>(x);
            return Eager.Wrap(f32(d, l, dims, keepdim), result);
        }
        var (dl, ll) = Eager.As<long>(x);
        return Eager.Wrap(i64!(dl, ll, dims, keepdim), result);
    }

    private static (Tensor X, int[] Dims, bool Keep, DType Result) Args(object?[] a, OpOverload op)
    {
        var x = Aten.T0(a);
        var meta = (TensorMeta)op.Meta!(a);
        var dims = op.Schema.Arguments.Count > 1 && op.Schema.Arguments[1].Name == "dim" ? Aten.ReducedDims(x, a[1]) : Enumerable.Range(0, x.Ndim).ToArray();
        bool keep = op.Schema.IndexOf("keepdim") is int k && k >= 0 && a[k] is true;
        return (x, dims, keep, meta.DType);
    }

    public static KernelFunction Sum(Func<OpOverload> op) => a =>
    {
        var (x, dims, keep, result) = Args(a, op());
        if (result.IsComplex()) return OverParts(x, dims, keep, result, Reduction.Sum, Reduction.Sum);
        return Run(x, dims, keep, result, Reduction.Sum, Reduction.Sum, Reduction.Sum);
    };

    public static KernelFunction Mean(Func<OpOverload> op) => a =>
    {
        var (x, dims, keep, result) = Args(a, op());
        if (result.IsComplex()) return OverParts(x, dims, keep, result, Reduction.Mean, Reduction.Mean);
        return Run(x, dims, keep, result, Reduction.Mean, Reduction.Mean, null);
    };

    /// <summary>
    /// A sum or mean of complex numbers is the sum or mean of their real parts and of their imaginary parts: reduce the
    /// parts (a trailing dim of 2 the reduction leaves alone) and pair them up again.
    /// </summary>
    private static Tensor OverParts(Tensor x, int[] dims, bool keepdim, DType result, Reduce<float> f32, Reduce<double> f64)
    {
        if (!x.DType.IsComplex()) x = Aten.CallKw(Aten.ToCopy, [x], ("dtype", result));
        var parts = ComplexKernels.ViewAsReal(x);
        var reduced = Run(parts, dims, keepdim, result.ToReal(), f32, f64, null);
        return ComplexKernels.ViewAsComplex(reduced, result);
    }

    public static KernelFunction Amax(Func<OpOverload> op) => a =>
    {
        var (x, dims, keep, result) = Args(a, op());
        return Run(x, dims, keep, result, Reduction.Amax, Reduction.Amax, Reduction.Amax);
    };

    public static KernelFunction Amin(Func<OpOverload> op) => a =>
    {
        var (x, dims, keep, result) = Args(a, op());
        return Run(x, dims, keep, result, Reduction.Amin, Reduction.Amin, Reduction.Amin);
    };

    public static readonly KernelFunction ProdDim = a =>
    {
        var x = Aten.T0(a);
        var dims = Aten.ReducedDims(x, new[] { Aten.S(a[1]) });
        var result = (DType?)a[3] ?? (x.DType.IsIntegral(includeBool: true) ? DType.Int64 : x.DType);
        return Run(x, dims, a[2] is true, result, Reduction.Prod, Reduction.Prod, null);
    };

    /// <summary>prod over every element; integer results multiply exactly in long (wrapping like torch's int64).</summary>
    public static readonly KernelFunction ProdAll = a =>
    {
        var x = Aten.T0(a);
        var result = (DType?)a[1] ?? (x.DType.IsIntegral(includeBool: true) ? DType.Int64 : x.DType);
        var all = Enumerable.Range(0, x.Ndim).ToArray();
        switch (Eager.ComputeDType(result))
        {
            case DType.Float32:
            {
                var (d, l) = Eager.As<float>(x);
                return Eager.Wrap(Reduction.Prod(d, l, all, false), result);
            }
            case DType.Float64:
            {
                var (d, l) = Eager.As<double>(x);
                return Eager.Wrap(Reduction.Prod(d, l, all, false), result);
            }
            default:
            {
                var values = Eager.Dense<long>(x);
                long product = 1;
                foreach (var v in values) product = unchecked(product * v);
                return Eager.Wrap(new[] { product }, [], result);
            }
        }
    };

    public static readonly KernelFunction Var = a =>
    {
        var x = Aten.T0(a);
        var dims = Aten.ReducedDims(x, a[1]);
        double correction = a[2] is null ? 1 : Aten.D(a[2]);
        bool keep = a[3] is true;
        if (Eager.ComputeDType(x.DType) == DType.Float64)
        {
            var (d, l) = Eager.As<double>(x);
            return Eager.Wrap(Reduction.Var(d, l, dims, correction, keep), x.DType);
        }
        var (f, lf) = Eager.As<float>(x);
        return Eager.Wrap(Reduction.Var(f, lf, dims, correction, keep), x.DType);
    };

    /// <summary>max.dim / min.dim: values and the index of the first extreme along one dim.</summary>
    public static KernelFunction ValuesIndices(bool max) => a =>
    {
        var x = Aten.T0(a);
        int dim = ShapeRules.WrapDim(Aten.L(a[1]), x.Ndim);
        bool keep = a[2] is true;
        Tensor values = max ? Aten.Call(Aten.Amax, x, new long[] { dim }, keep) : Aten.Call(Aten.Amin, x, new long[] { dim }, keep);
        Tensor indices = ArgExtremum(max)(a) as Tensor ?? throw new InvalidOperationException();
        return new[] { values, indices };
    };

    public static KernelFunction ArgExtremum(bool max) => a =>
    {
        var x = Aten.T0(a);
        int? dim = a[1] is null ? null : ShapeRules.WrapDim(Aten.L(a[1]), x.Ndim);
        bool keep = a[2] is true;
        // An empty input can only be reduced along a dim (of non-zero size, which the meta checks).
        if (dim is null && x.NumelLong == 0) throw new ArgumentException($"{(max ? "argmax" : "argmin")}(): Expected reduction dim to be specified for input.numel() == 0.");
        Dense<long> r;
        switch (Eager.ComputeDType(x.DType))
        {
            case DType.Float32:
            {
                var (d, l) = Eager.As<float>(x);
                r = max ? Reduction.ArgMax(d, l, dim, keep) : Reduction.ArgMin(d, l, dim, keep);
                break;
            }
            case DType.Float64:
            {
                var (d, l) = Eager.As<double>(x);
                r = max ? Reduction.ArgMax(d, l, dim, keep) : Reduction.ArgMin(d, l, dim, keep);
                break;
            }
            default:
            {
                var (d, l) = Eager.As<long>(x);
                r = max ? Reduction.ArgMax(d, l, dim, keep) : Reduction.ArgMin(d, l, dim, keep);
                break;
            }
        }
        return Eager.Wrap(r, DType.Int64);
    };

    public static KernelFunction AnyAll(bool any, bool withDims) => a =>
    {
        var x = Aten.T0(a);
        var dims = withDims ? Aten.AnyAllDims(x, a[1]) : Enumerable.Range(0, x.Ndim).ToArray();
        bool keep = withDims && a[2] is true;
        // No dims (any.dims with dim=[], or a 0-dim tensor) tests each element alone; the Cpu reductions read an
        // empty dim list as "all dims", so this case does not go to them.
        if (dims.Length == 0) return Eager.Wrap(Eager.Dense<bool>(x), x.Sizes, Aten.AnyAllType(x.DType));
        var (d, l) = Eager.As<bool>(x);
        return Eager.Wrap(any ? Reduction.Any(d, l, dims, keep) : Reduction.All(d, l, dims, keep), Aten.AnyAllType(x.DType));
    };

    public static readonly KernelFunction Cumprod = a => Running(a, product: true);

    public static readonly KernelFunction Cumsum = a => Running(a, product: false);

    // cumsum or cumprod along dim, in the result dtype's compute type (integers widen to int64, as torch's do).
    private static Tensor Running(object?[] a, bool product)
    {
        var x = Aten.T0(a);
        int dim = ShapeRules.WrapDim(Aten.L(a[1]), x.Ndim);
        var result = (DType?)a[2] ?? (x.DType.IsIntegral(includeBool: true) ? DType.Int64 : x.DType);
        if (result.IsComplex() && !product && x.Ndim > 0)
            return ComplexKernels.ThroughParts(x, result, pairs => Aten.Call(Aten.Cumsum, pairs, (long)dim));
        switch (Eager.ComputeDType(result))
        {
            case DType.Float32:
            {
                var (d, l) = Eager.As<float>(x);
                return Eager.Wrap(product ? Indexing.Cumprod(d, l, dim) : Indexing.Cumsum(d, l, dim), result);
            }
            case DType.Float64:
            {
                var (d, l) = Eager.As<double>(x);
                return Eager.Wrap(product ? Indexing.Cumprod(d, l, dim) : Indexing.Cumsum(d, l, dim), result);
            }
            default:
            {
                var (d, l) = Eager.As<long>(x);
                return Eager.Wrap(product ? Indexing.Cumprod(d, l, dim) : Indexing.Cumsum(d, l, dim), result);
            }
        }
    }
}
