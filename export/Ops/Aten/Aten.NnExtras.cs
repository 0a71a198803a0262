using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Non-core ops that torch's training IR records for common torch.nn modules and functions: roll, pixel_shuffle /
/// pixel_unshuffle, adaptive_max_pool1d/2d, upsample_bicubic2d.vec, linalg_vector_norm and embedding_bag (both
/// overloads). Each has torch's schema, a symbolic meta, a CPU kernel (export/Ops/Eager/NnExtrasKernels.cs) and a
/// decomposition to Core ATen (export/Decompositions/BuiltinDecompositions.NnExtras.cs), as torch's decompositions do;
/// std.dim is a composite, as in ATen.
/// </summary>
internal static partial class Aten
{
    /// <summary>roll's (shifts, dims) after torch's checks; empty dims means the flattened tensor with one shift.</summary>
    internal static (SymInt[] Shifts, int[] Dims) RollArgs(Tensor self, object? shifts, object? dims)
    {
        var s = Ss(shifts);
        var d = Ls(dims);
        if (s.Length == 0) throw new ArgumentException("`shifts` required");
        if (d.Length == 0 && s.Length == 1) return (s, []);
        if (s.Length != d.Length) throw new ArgumentException($"shifts and dimensions must align. shifts: {s.Length}, dims:{d.Length}");
        if (self.Ndim == 0) throw new IndexOutOfRangeException($"Dimension specified as {d[0]} but tensor has no dimensions");
        return (s, d.Select(x => ShapeRules.WrapDim(x, self.Ndim)).ToArray());
    }

    public static readonly OpOverload Roll = Def("roll(Tensor self, SymInt[1] shifts, int[1] dims=[]) -> Tensor", meta: a =>
    {
        var self = T0(a);
        RollArgs(self, a[1], a[2]);
        return new TensorMeta(self.DType, self.Shape.AsArray());
    }, kernel: NnExtrasKernels.Roll);

    private static void CheckPixelShuffle(string op, Tensor self, long factor, string what)
    {
        if (self.Ndim < 3) throw new ArgumentException($"{op} expects input to have at least 3 dimensions, but got input with {self.Ndim} dimension(s)");
        if (factor <= 0) throw new ArgumentException($"{op} expects a positive {what}, but got {factor}");
    }

    public static readonly OpOverload PixelShuffle = Def("pixel_shuffle(Tensor self, int upscale_factor) -> Tensor", meta: a =>
    {
        var self = T0(a);
        long r = L(a[1]);
        CheckPixelShuffle("pixel_shuffle", self, r, "upscale_factor");
        var c = self.Shape[^3];
        if (c.Hint % (r * r) != 0)
            throw new ArgumentException($"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)={c.Hint} is not divisible by {r * r}");
        var shape = self.Shape.AsArray().ToArray();
        shape[^3] = c / (r * r);
        shape[^2] = shape[^2] * r;
        shape[^1] = shape[^1] * r;
        return new TensorMeta(self.DType, shape);
    }, kernel: a => NnExtrasKernels.PixelShuffle(T0(a), L(a[1]), unshuffle: false));

    public static readonly OpOverload PixelUnshuffle = Def("pixel_unshuffle(Tensor self, int downscale_factor) -> Tensor", meta: a =>
    {
        var self = T0(a);
        long r = L(a[1]);
        CheckPixelShuffle("pixel_unshuffle", self, r, "downscale_factor");
        SymInt h = self.Shape[^2], w = self.Shape[^1];
        if (h.Hint % r != 0) throw new ArgumentException($"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)={h.Hint} is not divisible by {r}");
        if (w.Hint % r != 0) throw new ArgumentException($"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)={w.Hint} is not divisible by {r}");
        var shape = self.Shape.AsArray().ToArray();
        shape[^3] = shape[^3] * (r * r);
        shape[^2] = h / r;
        shape[^1] = w / r;
        return new TensorMeta(self.DType, shape);
    }, kernel: a => NnExtrasKernels.PixelShuffle(T0(a), L(a[1]), unshuffle: true));

    private static TensorMeta[] AdaptiveMaxMeta(string op, Tensor input, SymInt[] size)
    {
        if (!input.DType.IsFloatingPoint()) throw new NotSupportedException($"\"{op}\" not implemented for '{DTypeNames.Capitalized(input.DType)}'");
        var values = AdaptiveMeta(op, input, size);
        for (int i = 1; i < input.Ndim; i++)
            if (input.Shape[i].AsConstant == 0)
                throw new ArgumentException($"{op}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [{string.Join(", ", input.Shape)}] with dimension {i} being empty");
        return [values, new TensorMeta(DType.Int64, values.Shape)];
    }

    public static readonly OpOverload AdaptiveMaxPool2d = Def("adaptive_max_pool2d(Tensor self, int[2] output_size) -> (Tensor, Tensor)",
        meta: a => AdaptiveMaxMeta("adaptive_max_pool2d", T0(a), Ss(a[1])),
        kernel: a => NnExtrasKernels.AdaptiveMaxPool2d(T0(a), Ls(a[1])));

    public static readonly OpOverload AdaptiveMaxPool1d = Def("adaptive_max_pool1d(Tensor self, int[1] output_size) -> (Tensor, Tensor)",
        meta: a => AdaptiveMaxMeta("adaptive_max_pool1d", T0(a), Ss(a[1])),
        kernel: a =>
        {
            // ATen: adaptive_max_pool2d over self.unsqueeze(-2) with output (1, L), both results squeezed back.
            var self = T0(a);
            long length = Ls(a[1])[0];
            long[] planes = [.. self.Sizes[..^1], 1, self.Sizes[^1]], outShape = [.. self.Sizes[..^1], length];
            return NnExtrasKernels.AdaptiveMaxPool2d(self, [1, length], planes, outShape);
        });

    public static readonly OpOverload UpsampleBicubic2d = Def("upsample_bicubic2d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor",
        meta: a => UpsampleMeta("upsample_bicubic2d", a, 3), kernel: NnExtrasKernels.UpsampleBicubic2d);

    /// <summary>The output shape upsample_bicubic2d.vec gives (for its decomposition).</summary>
    internal static SymInt[] UpsampleBicubic2dShape(object?[] a) => UpsampleMeta("upsample_bicubic2d", a, 3).Shape;

    /// <summary>linalg_vector_norm's result dtype: the requested one (floating) or the input's; the input must be floating.</summary>
    internal static DType VectorNormDType(Tensor self, object? dtype)
    {
        if (!self.DType.IsFloatingPoint() && !self.DType.IsComplex())
            throw new ArgumentException($"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {DTypeNames.Capitalized(self.DType)}");
        if (dtype is DType d)
        {
            if (!d.IsFloatingPoint()) throw new ArgumentException($"linalg.vector_norm: dtype should be floating point or complex. Got {DTypeNames.Capitalized(d)} instead.");
            return d;
        }
        // The norm of complex numbers is the norm of their magnitudes: real.
        return self.DType.ToReal();
    }

    public static readonly OpOverload LinalgVectorNorm = Def("linalg_vector_norm(Tensor self, Scalar ord=2, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", meta: a =>
    {
        var self = T0(a);
        var dtype = VectorNormDType(self, a[4]);
        double ord = D(a[1]);
        var dims = ReducedDims(self, a[2]);
        if (ord < 0 || double.IsInfinity(ord))
        {
            // No identity: reducing an empty set is an error for negative orders and ±inf.
            foreach (var d in dims)
                if (self.Shape[d].AsConstant == 0)
                    throw new ArgumentException($"linalg.vector_norm cannot compute the {ord} norm on the empty dimension {d} because this dimension does not have an identity");
        }
        return new TensorMeta(dtype, ReducedShape(self, dims, B(a[3])));
    }, kernel: VectorNormKernel, tags: "reduction");

    /// <summary>The norm of complex numbers is the norm of their magnitudes.</summary>
    private static object? VectorNormKernel(object?[] a) =>
        T0(a).DType.IsComplex() ? NnExtrasKernels.LinalgVectorNorm([Call(Aten.Abs, a[0]), .. a[1..]]) : NnExtrasKernels.LinalgVectorNorm(a);

    /// <summary>embedding_bag's padding_idx as _embedding_bag takes it: None is −1, a negative index counts from the end.</summary>
    internal static long EmbeddingBagPaddingIdx(Tensor weight, object? paddingIdx)
    {
        if (paddingIdx is null) return -1;
        long p = L(paddingIdx), rows = weight.Shape[0].Hint;
        if (p < -rows || p >= rows) throw new ArgumentException($"padding_idx must be within the number of embeddings, -{rows} through {rows - 1}, but got {p}");
        return p < 0 ? p + rows : p;
    }

    /// <summary>The arguments of _embedding_bag for an embedding_bag call (padding_idx normalized).</summary>
    internal static object?[] EmbeddingBagCoreArgs(object?[] a) =>
        [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], EmbeddingBagPaddingIdx(T0(a), a.Length > 8 ? a[8] : null)];

    public static readonly OpOverload EmbeddingBagPaddingIdxOp = Def("embedding_bag.padding_idx(Tensor weight, Tensor indices, Tensor offsets, bool scale_grad_by_freq, int mode, bool sparse, Tensor? per_sample_weights, bool include_last_offset, int? padding_idx) -> (Tensor, Tensor, Tensor, Tensor)",
        meta: a => EmbeddingBag.Meta!(EmbeddingBagCoreArgs(a)), kernel: a => EmbeddingBag.Kernel!(EmbeddingBagCoreArgs(a)));

    public static readonly OpOverload EmbeddingBagDefault = Def("embedding_bag(Tensor weight, Tensor indices, Tensor offsets, bool scale_grad_by_freq=False, int mode=0, bool sparse=False, Tensor? per_sample_weights=None, bool include_last_offset=False) -> (Tensor, Tensor, Tensor, Tensor)",
        meta: a => EmbeddingBag.Meta!(EmbeddingBagCoreArgs(a)), kernel: a => EmbeddingBag.Kernel!(EmbeddingBagCoreArgs(a)));

    /// <summary>std.dim (torch.Tensor.std(dim, unbiased)): CompositeImplicitAutograd in ATen, std.correction with correction = unbiased.</summary>
    public static readonly OpOverload StdDim = Composite("std.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor",
        a => CallKw(StdCorrection, [a[0], a[1]], ("correction", B(a[2]) ? 1L : 0L), ("keepdim", a[3])));
}
