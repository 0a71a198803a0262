using Graphport.Operators;

namespace Graphport;

/// <summary>Ops that create tensors: full/zeros/ones/empty, *_like, scalar_tensor, arange, random sampling.</summary>
internal static partial class Aten
{
    private const string FactoryOptions = "ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None";

    private static DType DefaultFor(object? fillValue) => fillValue switch
    {
        bool => DType.Bool,
        long or SymInt => DType.Int64,
        _ => DType.Float32,
    };

    private static TensorMeta SizedMeta(object? size, DType dtype)
    {
        var shape = Ss(size);
        foreach (var s in shape)
            if (s.AsConstant is < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {s}: [{string.Join(", ", shape)}]");
        return new TensorMeta(dtype, shape);
    }

    public static readonly OpOverload Full = Def($"full(SymInt[] size, Scalar fill_value, *, {FactoryOptions}) -> Tensor",
        meta: a => FilledMeta("full", SizedMeta(a[0], (DType?)a[2] ?? DefaultFor(a[1])), a[1]), tags: "core");

    /// <summary>The meta of an op that fills its result with a Scalar, which must fit the result's dtype.</summary>
    private static TensorMeta FilledMeta(string op, TensorMeta meta, object? value)
    {
        ScalarConversion.Check(op, value, meta.DType);
        return meta;
    }

    public static readonly OpOverload Zeros = Def($"zeros(SymInt[] size, *, {FactoryOptions}) -> Tensor",
        meta: a => SizedMeta(a[0], (DType?)a[1] ?? DType.Float32));

    public static readonly OpOverload Ones = Def($"ones(SymInt[] size, *, {FactoryOptions}) -> Tensor",
        meta: a => SizedMeta(a[0], (DType?)a[1] ?? DType.Float32));

    public static readonly OpOverload EmptyMemoryFormat = Def($"empty.memory_format(SymInt[] size, *, {FactoryOptions}, MemoryFormat? memory_format=None) -> Tensor",
        meta: a => SizedMeta(a[0], (DType?)a[1] ?? DType.Float32), tags: "core");

    public static readonly OpOverload ScalarTensor = Def($"scalar_tensor(Scalar s, *, {FactoryOptions}) -> Tensor",
        meta: a => FilledMeta("scalar_tensor", new TensorMeta((DType?)a[1] ?? DType.Float32, []), a[0]), tags: "core");

    private static TensorMeta LikeMeta(object?[] a, int dtypeIndex) => new((DType?)a[dtypeIndex] ?? T0(a).DType, T0(a).Shape.AsArray());

    public static readonly OpOverload ZerosLike = Def($"zeros_like(Tensor self, *, {FactoryOptions}, MemoryFormat? memory_format=None) -> Tensor", meta: a => LikeMeta(a, 1));

    public static readonly OpOverload OnesLike = Def($"ones_like(Tensor self, *, {FactoryOptions}, MemoryFormat? memory_format=None) -> Tensor", meta: a => LikeMeta(a, 1));

    public static readonly OpOverload EmptyLike = Def($"empty_like(Tensor self, *, {FactoryOptions}, MemoryFormat? memory_format=None) -> Tensor", meta: a => LikeMeta(a, 1));

    public static readonly OpOverload FullLike = Def($"full_like(Tensor self, Scalar fill_value, *, {FactoryOptions}, MemoryFormat? memory_format=None) -> Tensor", meta: a => FilledMeta("full_like", LikeMeta(a, 2), a[1]));

    public static readonly OpOverload RandLike = Def($"rand_like(Tensor self, *, {FactoryOptions}, MemoryFormat? memory_format=None) -> Tensor", meta: a => LikeMeta(a, 1));

    public static readonly OpOverload RandnLike = Def($"randn_like(Tensor self, *, {FactoryOptions}, MemoryFormat? memory_format=None) -> Tensor", meta: a => LikeMeta(a, 1));

    public static readonly OpOverload ArangeStartStep = Def($"arange.start_step(Scalar start, Scalar end, Scalar step=1, *, {FactoryOptions}) -> Tensor", meta: a =>
    {
        bool integral = a[0] is long or SymInt && a[1] is long or SymInt && a[2] is long or SymInt;
        var dtype = (DType?)a[3] ?? (integral ? DType.Int64 : DType.Float32);
        // A symbolic end (arange(x.Shape[0])) keeps a symbolic length; reading it as a number would specialize it.
        if (a[1] is SymInt { IsSymbolic: true } symEnd && a[0] is long s0 && a[2] is long st && st > 0)
            return new TensorMeta(dtype, [(symEnd - s0 + st - 1) / st]);
        double start = D(a[0]), end = D(a[1]), step = D(a[2]);
        if (step == 0) throw new ArgumentException("arange: step must be nonzero");
        if ((step > 0 && end < start) || (step < 0 && end > start))
            throw new ArgumentException($"arange: upper bound and larger bound inconsistent with step sign (start={start}, end={end}, step={step})");
        long length = (long)Math.Ceiling((end - start) / step);
        return new TensorMeta(dtype, [Math.Max(length, 0)]);
    }, tags: "core");

    // torch.arange's shorter forms, recorded as called (torch.arange(n) is arange.default) and decomposed to
    // arange.start_step; their arguments map onto start_step's [start, end, step, dtype, layout, device, pin_memory].
    private static object?[] AsStartStep(object? start, object? end, object?[] a, int options) => [start, end, 1L, .. a[options..]];

    public static readonly OpOverload Arange = Def($"arange(Scalar end, *, {FactoryOptions}) -> Tensor", meta: a => ArangeStartStep.Meta!(AsStartStep(0L, a[0], a, 1)));

    public static readonly OpOverload ArangeStart = Def($"arange.start(Scalar start, Scalar end, *, {FactoryOptions}) -> Tensor", meta: a => ArangeStartStep.Meta!(AsStartStep(a[0], a[1], a, 2)));

    /// <summary>An arange.default or arange.start call's arguments as arange.start_step's.</summary>
    internal static object?[] ArangeAsStartStep(OpOverload op, object?[] a) => op == ArangeStart ? AsStartStep(a[0], a[1], a, 2) : AsStartStep(0L, a[0], a, 1);

    public static readonly OpOverload Rand = Def($"rand(SymInt[] size, *, {FactoryOptions}) -> Tensor", meta: a => SizedMeta(a[0], (DType?)a[1] ?? DType.Float32), tags: "nondeterministic_seeded");

    public static readonly OpOverload Randn = Def($"randn(SymInt[] size, *, {FactoryOptions}) -> Tensor", meta: a => SizedMeta(a[0], (DType?)a[1] ?? DType.Float32), tags: "nondeterministic_seeded");

    public static readonly OpOverload RandintLow = Def($"randint.low(SymInt low, SymInt high, SymInt[] size, *, ScalarType? dtype=long, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
        meta: a =>
        {
            if (!(S(a[0]) < S(a[1]))) throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={S(a[0])} >= to={S(a[1])}");
            return SizedMeta(a[2], a[3] as DType? ?? DType.Int64);
        }, tags: "nondeterministic_seeded");

    public static readonly OpOverload BernoulliP = Def("bernoulli.p(Tensor self, float p, *, Generator? generator=None) -> Tensor", meta: a =>
    {
        double p = D(a[1]);
        if (p < 0 || p > 1) throw new ArgumentException($"bernoulli_ expects p to be in [0, 1], but got p={p}");
        return new TensorMeta(T0(a).DType, T0(a).Shape.AsArray());
    }, tags: "nondeterministic_seeded");
}
