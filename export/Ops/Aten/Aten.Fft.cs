using Graphport.Operators;

namespace Graphport;

/// <summary>
/// torch.fft: the three primitives every transform lowers to (_fft_r2c and _fft_c2r are Core ATen; _fft_c2c, like
/// torch's, stays through RunDecompositions) and the torch.fft functions as composites over them, with torch's
/// argument rules (n and s resize the input, norm picks the scaling, dims wrap).
/// </summary>
internal static partial class Aten
{
    /// <summary>The transformed dims, wrapped and checked as torch checks them (non-empty, unique).</summary>
    private static int[] FftDims(string op, Tensor x, object? dims)
    {
        var list = dims switch
        {
            SymInt[] s => s.Select(d => (long)d).ToArray(),
            long[] l => l,
            _ => Ls(dims),
        };
        var wrapped = list.Select(d => ShapeRules.WrapDim(d, x.Ndim)).ToArray();
        if (wrapped.Length == 0) throw new ArgumentException($"{op}: expected at least one dim to transform.");
        if (wrapped.Distinct().Count() != wrapped.Length) throw new ArgumentException($"{op}: dims must be unique, got [{string.Join(", ", list)}].");
        return wrapped;
    }

    private static void CheckNormalization(string op, object? code)
    {
        if (L(code) is < 0 or > 2) throw new ArgumentException($"{op}: normalization must be 0 (none), 1 (1/sqrt(n)) or 2 (1/n), got {L(code)}.");
    }

    public static readonly OpOverload FftR2c = Def("_fft_r2c(Tensor self, int[] dim, int normalization, bool onesided) -> Tensor", meta: a =>
    {
        var x = T0(a);
        if (x.DType is not (DType.Float32 or DType.Float64))
            throw new ArgumentException($"_fft_r2c: expected a float or double tensor, got {x.DType.TorchName()}. Convert it first, e.g. x.To(DType.Float32) (torch.fft.rfft does so for integers).");
        var dims = FftDims("_fft_r2c", x, a[1]);
        CheckNormalization("_fft_r2c", a[2]);
        var shape = (SymInt[])x.Shape.AsArray().Clone();
        if (B(a[3])) shape[dims[^1]] = shape[dims[^1]] / 2 + 1;
        return new TensorMeta(x.DType.ToComplex(), shape);
    }, kernel: a => FftKernels.RealToComplex(T0(a), FftDims("_fft_r2c", T0(a), a[1]), L(a[2]), B(a[3])), tags: "core");

    public static readonly OpOverload FftC2c = Def("_fft_c2c(Tensor self, SymInt[] dim, int normalization, bool forward) -> Tensor", meta: a =>
    {
        var x = T0(a);
        if (!x.DType.IsComplex())
            throw new ArgumentException($"_fft_c2c: expected a complex tensor, got {x.DType.TorchName()}. Use _fft_r2c for a real one, or make it complex first.");
        FftDims("_fft_c2c", x, a[1]);
        CheckNormalization("_fft_c2c", a[2]);
        return new TensorMeta(x.DType, (SymInt[])x.Shape.AsArray().Clone());
    }, kernel: a => FftKernels.ComplexToComplex(T0(a), FftDims("_fft_c2c", T0(a), a[1]), L(a[2]), B(a[3])), tags: "complex");

    public static readonly OpOverload FftC2r = Def("_fft_c2r(Tensor self, int[] dim, int normalization, SymInt last_dim_size) -> Tensor", meta: a =>
    {
        var x = T0(a);
        if (!x.DType.IsComplex())
            throw new ArgumentException($"_fft_c2r: expected a complex tensor, got {x.DType.TorchName()}. Make it complex first, e.g. Torch.Complex(x, Torch.ZerosLike(x)).");
        var dims = FftDims("_fft_c2r", x, a[1]);
        CheckNormalization("_fft_c2r", a[2]);
        var n = S(a[3]);
        if (n.AsConstant is < 1) throw new ArgumentException($"Invalid number of data points ({n}) specified");
        var shape = (SymInt[])x.Shape.AsArray().Clone();
        shape[dims[^1]] = n;
        return new TensorMeta(x.DType.ToReal(), shape);
    }, kernel: a => FftKernels.ComplexToReal(T0(a), FftDims("_fft_c2r", T0(a), a[1]), L(a[2]), L(a[3])), tags: "core");

    /// <summary>torch's norm argument as the primitives' code: "backward" (the default) scales the inverse by 1/n, "forward" the forward, "ortho" both by 1/√n.</summary>
    private static long FftNorm(object? norm, bool forward) => norm switch
    {
        null or "backward" => forward ? 0 : 2,
        "forward" => forward ? 2 : 0,
        "ortho" => 1,
        _ => throw new ArgumentException($"Invalid normalization mode: \"{norm}\". Use \"backward\" (the default), \"forward\" or \"ortho\"."),
    };

    /// <summary>Integers and bools become the default float dtype (torch's fft functions promote them); complex can be required.</summary>
    private static Tensor FftPromoted(Tensor x, bool requireComplex)
    {
        if (x.DType is DType.Float16 or DType.BFloat16)
            throw new ArgumentException($"Unsupported dtype {DTypeNames.Capitalized(x.DType)}: the CPU FFT takes float32 and float64. Convert it first, e.g. x.To(DType.Float32).");
        if (!x.DType.IsFloatingPoint() && !x.DType.IsComplex()) x = CallKw(ToCopy, [x], ("dtype", DTypeInfo.DefaultFloat));
        if (requireComplex && !x.DType.IsComplex()) x = CallKw(ToCopy, [x], ("dtype", x.DType.ToComplex()));
        return x;
    }

    /// <summary>The input cut or zero-padded at the end of each dim to the requested signal size (torch's n and s).</summary>
    private static Tensor FftResized(Tensor x, int[] dims, SymInt?[] sizes)
    {
        for (int i = 0; i < dims.Length; i++)
        {
            if (sizes[i] is not { } n) continue;
            int d = dims[i];
            var current = x.Shape[d];
            if (n.AsConstant is < 1) throw new ArgumentException($"Invalid number of data points ({n}) specified");
                if (n == current) continue;
            if (n < current)
            {
                x = Call(Slice, x, (long)d, 0L, n, 1L);
                continue;
            }
            var pad = new SymInt[2 * (x.Ndim - d)];
            pad[^1] = n - current;
            for (int k = 0; k < pad.Length - 1; k++) pad[k] = 0;
            x = Call(ConstantPadNd, x, pad, 0L);
        }
        return x;
    }

    private static Tensor FftOneDim(object?[] a, string op, bool forward, bool realInput, bool onesided)
    {
        var x = FftPromoted(T0(a), requireComplex: false);
        if (realInput && x.DType.IsComplex())
            throw new ArgumentException($"{op} expects a real input tensor, but got {DTypeNames.Capitalized(x.DType)}. Use fft for complex input, or pass its real part.");
        int[] dims = [ShapeRules.WrapDim(L(a[2]), x.Ndim)];
        x = FftResized(x, dims, [a[1] is null ? null : S(a[1])]);
        return FftTransform(x, dims, FftNorm(a[3], forward), forward, onesided);
    }

    /// <summary>
    /// The transform along <paramref name="dims"/> as the primitives give it: _fft_c2c of a complex tensor, _fft_r2c of a
    /// real one (one-sided if asked), whose inverse is the conjugate of its forward transform (both scaled by norm).
    /// </summary>
    internal static Tensor FftTransform(Tensor x, int[] dims, long norm, bool forward, bool onesided)
    {
        if (x.DType.IsComplex()) return Call(FftC2c, x, dims.Select(d => new SymInt(d)).ToArray(), norm, forward);
        var spectrum = Call(FftR2c, x, dims.Select(d => (long)d).ToArray(), norm, onesided);
        return forward ? spectrum : Call(Conj, spectrum);
    }

    public static readonly OpOverload FftFft = Composite("fft_fft(Tensor self, SymInt? n=None, int dim=-1, str? norm=None) -> Tensor", FftFftBody);
    private static object? FftFftBody(object?[] a) => FftOneDim(a, "fft", forward: true, realInput: false, onesided: false);

    public static readonly OpOverload FftIfft = Composite("fft_ifft(Tensor self, SymInt? n=None, int dim=-1, str? norm=None) -> Tensor", FftIfftBody);
    private static object? FftIfftBody(object?[] a) => FftOneDim(a, "ifft", forward: false, realInput: false, onesided: false);

    public static readonly OpOverload FftRfft = Composite("fft_rfft(Tensor self, SymInt? n=None, int dim=-1, str? norm=None) -> Tensor", FftRfftBody);
    private static object? FftRfftBody(object?[] a) => FftOneDim(a, "rfft", forward: true, realInput: true, onesided: true);

    public static readonly OpOverload FftIhfft = Composite("fft_ihfft(Tensor self, SymInt? n=None, int dim=-1, str? norm=None) -> Tensor", FftIhfftBody);
    private static object? FftIhfftBody(object?[] a) => FftOneDim(a, "ihfft", forward: false, realInput: true, onesided: true);

    /// <summary>
    /// irfft and hfft: a one-sided spectrum to a real signal of n points (default 2·(m−1)); the input is first cut or
    /// padded to n/2+1 entries. hfft is the forward transform of a Hermitian signal: the conjugate, inverted with the
    /// forward scaling.
    /// </summary>
    private static Tensor FftToReal(object?[] a, SymInt?[] sizes, int[] dims, bool hermitianForward)
    {
        var x = FftPromoted(T0(a), requireComplex: true);
        int last = dims[^1];
        var lastSize = sizes[^1] ?? 2 * (x.Shape[last] - 1);
        if (lastSize.AsConstant is < 1) throw new ArgumentException($"Invalid number of data points ({lastSize}) specified");
        var inputSizes = (SymInt?[])sizes.Clone();
        inputSizes[^1] = lastSize / 2 + 1;
        x = FftResized(x, dims, inputSizes);
        if (hermitianForward) x = Call(Conj, x);
        return Call(FftC2r, x, dims.Select(d => (long)d).ToArray(), FftNorm(a[3], forward: hermitianForward), lastSize);
    }

    public static readonly OpOverload FftIrfft = Composite("fft_irfft(Tensor self, SymInt? n=None, int dim=-1, str? norm=None) -> Tensor", FftIrfftBody);
    private static object? FftIrfftBody(object?[] a) => FftToReal(a, [a[1] is null ? null : S(a[1])], [ShapeRules.WrapDim(L(a[2]), T0(a).Ndim)], hermitianForward: false);

    public static readonly OpOverload FftHfft = Composite("fft_hfft(Tensor self, SymInt? n=None, int dim=-1, str? norm=None) -> Tensor", FftHfftBody);
    private static object? FftHfftBody(object?[] a) => FftToReal(a, [a[1] is null ? null : S(a[1])], [ShapeRules.WrapDim(L(a[2]), T0(a).Ndim)], hermitianForward: true);

    /// <summary>
    /// torch's rules for s and dim of the n-dimensional transforms: dim alone picks the dims; s alone the last len(s)
    /// dims; both must have one entry per dim; neither means every dim. An s entry of -1 keeps that dim's size.
    /// </summary>
    private static (int[] Dims, SymInt?[] Sizes) FftShapeAndDims(string op, Tensor x, object? s, object? dim)
    {
        var sizes = s is null ? null : ((SymInt[])s).Select(v => v.AsConstant == -1 ? (SymInt?)null : v).ToArray();
        int[] dims;
        if (dim is not null)
        {
            dims = FftDims(op, x, dim);
            if (sizes is not null && sizes.Length != dims.Length)
                throw new ArgumentException($"{op}: when given, dim and shape arguments must have the same length (s has {sizes.Length} entries, dim {dims.Length}).");
        }
        else if (sizes is not null)
        {
            if (sizes.Length > x.Ndim) throw new ArgumentException($"{op}: got shape with {sizes.Length} values but input tensor only has {x.Ndim} dimensions.");
            dims = Enumerable.Range(x.Ndim - sizes.Length, sizes.Length).ToArray();
        }
        else
        {
            dims = Enumerable.Range(0, x.Ndim).ToArray();
        }
        return (dims, sizes ?? new SymInt?[dims.Length]);
    }

    private static Tensor FftManyDims(object?[] a, string op, bool forward, bool realInput)
    {
        var x = FftPromoted(T0(a), requireComplex: false);
        if (realInput && x.DType.IsComplex())
            throw new ArgumentException($"{op} expects a real-valued input tensor, but got {DTypeNames.Capitalized(x.DType)}. Use fftn for complex input.");
        var (dims, sizes) = FftShapeAndDims(op, x, a[1], a[2]);
        if (dims.Length == 0) return x.DType.IsComplex() ? x : CallKw(ToCopy, [x], ("dtype", x.DType.ToComplex()));
        x = FftResized(x, dims, sizes);
        return FftTransform(x, dims, FftNorm(a[3], forward), forward, onesided: realInput);
    }

    public static readonly OpOverload FftFftn = Composite("fft_fftn(Tensor self, SymInt[1]? s=None, int[1]? dim=None, str? norm=None) -> Tensor", FftFftnBody);
    private static object? FftFftnBody(object?[] a) => FftManyDims(a, "fftn", forward: true, realInput: false);

    public static readonly OpOverload FftIfftn = Composite("fft_ifftn(Tensor self, SymInt[1]? s=None, int[1]? dim=None, str? norm=None) -> Tensor", FftIfftnBody);
    private static object? FftIfftnBody(object?[] a) => FftManyDims(a, "ifftn", forward: false, realInput: false);

    public static readonly OpOverload FftRfftn = Composite("fft_rfftn(Tensor self, SymInt[1]? s=None, int[1]? dim=None, str? norm=None) -> Tensor", FftRfftnBody);
    private static object? FftRfftnBody(object?[] a) => FftManyDims(a, "rfftn", forward: true, realInput: true);

    public static readonly OpOverload FftIrfftn = Composite("fft_irfftn(Tensor self, SymInt[1]? s=None, int[1]? dim=None, str? norm=None) -> Tensor", FftIrfftnBody);

    private static object? FftIrfftnBody(object?[] a)
    {
        var (dims, sizes) = FftShapeAndDims("irfftn", T0(a), a[1], a[2]);
        return FftToReal(a, sizes, dims, hermitianForward: false);
    }

    public static readonly OpOverload FftFft2 = Composite("fft_fft2(Tensor self, SymInt[1]? s=None, int[1] dim=[-2,-1], str? norm=None) -> Tensor", FftFftnBody);
    public static readonly OpOverload FftIfft2 = Composite("fft_ifft2(Tensor self, SymInt[1]? s=None, int[1] dim=[-2,-1], str? norm=None) -> Tensor", FftIfftnBody);
    public static readonly OpOverload FftRfft2 = Composite("fft_rfft2(Tensor self, SymInt[1]? s=None, int[1] dim=[-2,-1], str? norm=None) -> Tensor", FftRfftnBody);
    public static readonly OpOverload FftIrfft2 = Composite("fft_irfft2(Tensor self, SymInt[1]? s=None, int[1] dim=[-2,-1], str? norm=None) -> Tensor", FftIrfftnBody);

    /// <summary>The sample frequencies of an n-point DFT with spacing d: 0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1, over n·d.</summary>
    public static readonly OpOverload FftFftfreq = Composite($"fft_fftfreq(int n, float d=1.0, *, {FactoryOptions}) -> Tensor", FftFftfreqBody);

    private static object? FftFftfreqBody(object?[] a)
    {
        long n = L(a[0]);
        var dtype = (DType?)a[2] ?? DTypeInfo.DefaultFloat;
        var index = CallKw(ArangeStartStep, [0L, n, 1L], ("dtype", DType.Int64));
        var wrapped = Call(Where, Call(GeScalar, index, (n + 1) / 2), Call(Sub, index, n), index);
        return Call(Mul, CallKw(ToCopy, [wrapped], ("dtype", dtype)), 1.0 / (n * D(a[1])));
    }

    /// <summary>The non-negative frequencies rfft returns: 0, 1, …, ⌊n/2⌋, over n·d.</summary>
    public static readonly OpOverload FftRfftfreq = Composite($"fft_rfftfreq(int n, float d=1.0, *, {FactoryOptions}) -> Tensor", FftRfftfreqBody);

    private static object? FftRfftfreqBody(object?[] a)
    {
        long n = L(a[0]);
        var dtype = (DType?)a[2] ?? DTypeInfo.DefaultFloat;
        var index = CallKw(ArangeStartStep, [0L, n / 2 + 1, 1L], ("dtype", DType.Int64));
        return Call(Mul, CallKw(ToCopy, [index], ("dtype", dtype)), 1.0 / (n * D(a[1])));
    }

    /// <summary>fftshift rolls each dim by ⌊size/2⌋ (zero frequency to the middle); ifftshift by ⌈size/2⌉ undoes it.</summary>
    public static readonly OpOverload FftFftshift = Composite("fft_fftshift(Tensor self, int[1]? dim=None) -> Tensor", FftFftshiftBody);
    private static object? FftFftshiftBody(object?[] a) => FftShift(T0(a), a[1], inverse: false);

    public static readonly OpOverload FftIfftshift = Composite("fft_ifftshift(Tensor self, int[1]? dim=None) -> Tensor", FftIfftshiftBody);
    private static object? FftIfftshiftBody(object?[] a) => FftShift(T0(a), a[1], inverse: true);

    private static Tensor FftShift(Tensor x, object? dim, bool inverse)
    {
        var dims = dim is null ? Enumerable.Range(0, x.Ndim).ToArray() : Ls(dim).Select(d => ShapeRules.WrapDim(d, x.Ndim)).ToArray();
        if (dims.Length == 0) return Call(Clone, x);
        var shifts = dims.Select(d => inverse ? (x.Shape[d] + 1) / 2 : x.Shape[d] / 2).ToArray();
        return Call(Roll, x, shifts, dims.Select(d => (long)d).ToArray());
    }
}
