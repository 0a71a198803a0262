using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Sampling beyond rand and randn, recorded as torch's export records it: bernoulli of a probability tensor (rand
/// compared with it, when decomposed), the functional forms of the in-place fills uniform_, normal_ and
/// exponential_ (uniform, normal_functional, exponential), normal with tensor or number moments, multinomial and
/// poisson (kept through decomposition, as torch keeps them).
/// </summary>
internal static partial class Aten
{
    private const string Seeded = "nondeterministic_seeded,no_decomposition";

    public static readonly OpOverload BernoulliTensor = Def("bernoulli(Tensor self, *, Generator? generator=None) -> Tensor", meta: a =>
    {
        if (!T0(a).DType.IsFloatingPoint()) throw new ArgumentException($"bernoulli expects a floating point tensor of probabilities, got {T0(a).DType.TorchName()}");
        return Like(T0(a));
    }, kernel: a => SamplingKernels.Bernoulli(T0(a)), tags: "nondeterministic_seeded");
    public static readonly OpOverload Uniform = Def("uniform(Tensor self, float from=0, float to=1, *, Generator? generator=None) -> Tensor", meta: a =>
    {
        if (!T0(a).DType.IsFloatingPoint()) throw new ArgumentException($"\"uniform_kernel_cpu\" not implemented for '{DTypeNames.Capitalized(T0(a).DType)}'");
        if (D(a[1]) > D(a[2])) throw new ArgumentException($"uniform_ expects to return a [from, to) range, but found from={D(a[1])} > to={D(a[2])}");
        return Like(T0(a));
    }, kernel: a => SamplingKernels.Uniform(T0(a), D(a[1]), D(a[2])), tags: Seeded);
    public static readonly OpOverload NormalFunctional = Def("normal_functional(Tensor self, float mean=0, float std=1, *, Generator? generator=None) -> Tensor", meta: a =>
    {
        if (!T0(a).DType.IsFloatingPoint()) throw new ArgumentException($"\"normal_kernel_cpu\" not implemented for '{DTypeNames.Capitalized(T0(a).DType)}'");
        if (D(a[2]) < 0) throw new ArgumentException($"normal expects std >= 0.0, but found std {D(a[2])}");
        return Like(T0(a));
    }, kernel: a => SamplingKernels.Normal(T0(a).Sizes, T0(a).DType, _ => (D(a[1]), D(a[2]))), tags: Seeded);
    public static readonly OpOverload Exponential = Def("exponential(Tensor self, float lambd=1, *, Generator? generator=None) -> Tensor", meta: a =>
    {
        if (!T0(a).DType.IsFloatingPoint()) throw new ArgumentException($"\"exponential_cpu\" not implemented for '{DTypeNames.Capitalized(T0(a).DType)}'");
        if (!(D(a[1]) > 0)) throw new ArgumentException($"exponential_ expects lambda > 0.0, but found lambda={D(a[1])}");
        return Like(T0(a));
    }, kernel: a => SamplingKernels.Exponential(T0(a), D(a[1])), tags: Seeded);
    public static readonly OpOverload NormalTensorTensor = Def("normal.Tensor_Tensor(Tensor mean, Tensor std, *, Generator? generator=None) -> Tensor",
        meta: a => NormalMeta(a[0], a[1]), kernel: a => NormalOf(a[0], a[1]), tags: Seeded);
    public static readonly OpOverload NormalTensorFloat = Def("normal.Tensor_float(Tensor mean, float std=1, *, Generator? generator=None) -> Tensor",
        meta: a => NormalMeta(a[0], a[1]), kernel: a => NormalOf(a[0], a[1]), tags: Seeded);
    public static readonly OpOverload NormalFloatTensor = Def("normal.float_Tensor(float mean, Tensor std, *, Generator? generator=None) -> Tensor",
        meta: a => NormalMeta(a[0], a[1]), kernel: a => NormalOf(a[0], a[1]), tags: Seeded);
    public static readonly OpOverload NormalFloatFloat = Def($"normal.float_float(float mean, float std, SymInt[] size, *, Generator? generator=None, {FactoryOptions}) -> Tensor", meta: a =>
    {
        if (D(a[1]) < 0) throw new ArgumentException($"normal expects std >= 0.0, but found std {D(a[1])}");
        return new TensorMeta((DType?)a[4] ?? DTypeInfo.DefaultFloat, Ss(a[2]));
    }, kernel: a => SamplingKernels.Normal(Ls(a[2]), (DType?)a[4] ?? DTypeInfo.DefaultFloat, _ => (D(a[0]), D(a[1]))), tags: Seeded);
    public static readonly OpOverload Multinomial = Def("multinomial(Tensor self, int num_samples, bool replacement=False, *, Generator? generator=None) -> Tensor", meta: a =>
    {
        var w = T0(a);
        if (w.Ndim is not (1 or 2)) throw new ArgumentException($"multinomial: prob_dist must be 1 or 2 dim, got {w.Ndim}");
        if (!w.DType.IsFloatingPoint()) throw new ArgumentException($"multinomial only supports floating-point dtypes for input, got: {w.DType.TorchName()}");
        long samples = L(a[1]);
        if (samples <= 0) throw new ArgumentException("multinomial: cannot sample n_sample <= 0 samples");
        if (!B(a[2]) && w.Shape[^1].AsConstant is { } n && samples > n) throw new ArgumentException("multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement");
        return new TensorMeta(DType.Int64, w.Ndim == 1 ? [samples] : [w.Shape[0], samples]);
    }, kernel: a => SamplingKernels.Multinomial(T0(a), L(a[1]), B(a[2])), tags: Seeded);
    public static readonly OpOverload Poisson = Def("poisson(Tensor self, Generator? generator=None) -> Tensor", meta: a =>
    {
        if (!T0(a).DType.IsFloatingPoint()) throw new ArgumentException($"\"poisson_cpu\" not implemented for '{DTypeNames.Capitalized(T0(a).DType)}'");
        return Like(T0(a));
    }, kernel: a => SamplingKernels.Poisson(T0(a)), tags: Seeded);

    public static readonly OpOverload Normal_ = InPlace("normal_(Tensor(a!) self, float mean=0, float std=1, *, Generator? generator=None) -> Tensor(a!)");
    public static readonly OpOverload BernoulliFloat_ = InPlace("bernoulli_.float(Tensor(a!) self, float p=0.5, *, Generator? generator=None) -> Tensor(a!)");

    // The mean's and std's broadcast shape, in their promoted float dtype.
    private static TensorMeta NormalMeta(object? mean, object? std)
    {
        if (std is double s && s < 0) throw new ArgumentException($"normal expects std >= 0.0, but found std {s}");
        return PointwiseMeta(ResultRule.IntToFloat, mean, std);
    }

    private static Tensor NormalOf(object? mean, object? std)
    {
        var meta = NormalMeta(mean, std);
        var shape = meta.Shape.Select(s => (long)s).ToArray();
        double[] Values(object? v) => v is Tensor t ? Call(Expand, Call(ToDType, t, DType.Float64), meta.Shape).ToArray<double>() : [D(v)];
        var means = Values(mean);
        var stds = Values(std);
        if (stds.Any(v => v < 0)) throw new ArgumentException("normal expects all elements of std >= 0.0");
        return SamplingKernels.Normal(shape, meta.DType, i => (means[means.Length == 1 ? 0 : i], stds[stds.Length == 1 ? 0 : i]));
    }
}
