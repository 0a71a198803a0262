using Graphport.Operators;

namespace Graphport;

/// <summary>Reductions over dimensions (sum, mean, amax, ...), with keepdim and torch's result dtypes.</summary>
internal static partial class Aten
{
    /// <summary>The reduced dims as a set of wrapped indices; null or empty means all dims.</summary>
    internal static int[] ReducedDims(Tensor self, object? dims)
    {
        var list = dims is null ? [] : Ls(dims);
        if (list.Length == 0) return Enumerable.Range(0, self.Ndim).ToArray();
        var wrapped = list.Select(d => ShapeRules.WrapDim(d, self.Ndim)).ToArray();
        if (wrapped.Distinct().Count() != wrapped.Length)
            throw new ArgumentException($"dim {wrapped.GroupBy(d => d).First(g => g.Count() > 1).Key} appears multiple times in the list of dims");
        // torch lets a 0-dim tensor reduce along dim 0 or -1; its one element has no dim left to reduce over.
        return self.Ndim == 0 ? [] : wrapped;
    }

    internal static SymInt[] ReducedShape(Tensor self, int[] dims, bool keepdim)
    {
        var shape = new List<SymInt>();
        for (int i = 0; i < self.Ndim; i++)
        {
            if (dims.Contains(i))
            {
                if (keepdim) shape.Add(1);
            }
            else shape.Add(self.Shape[i]);
        }
        return [.. shape];
    }

    private static TensorMeta ReduceMeta(object?[] a, Func<DType, DType?, DType> resultType)
    {
        var self = T0(a);
        var dims = ReducedDims(self, a[1]);
        var dtype = resultType(self.DType, a.Length > 3 ? (DType?)a[3] : null);
        return new TensorMeta(dtype, ReducedShape(self, dims, B(a[2])));
    }

    private static DType SumType(DType input, DType? requested) => requested ?? (input.IsIntegral(includeBool: true) ? DType.Int64 : input);

    private static DType MeanType(DType input, DType? requested)
    {
        var t = requested ?? input;
        if (!t.IsFloatingPoint() && !t.IsComplex())
            throw new ArgumentException($"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {DTypeNames.Capitalized(input)}");
        return t;
    }

    public static readonly OpOverload SumDim = Def("sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
        meta: a => ReduceMeta(a, SumType), tags: "core");

    public static readonly OpOverload Sum = Def("sum(Tensor self, *, ScalarType? dtype=None) -> Tensor",
        meta: a => new TensorMeta(SumType(T0(a).DType, (DType?)a[1]), []));

    public static readonly OpOverload MeanDim = Def("mean.dim(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
        meta: a => ReduceMeta(a, MeanType), tags: "core");

    public static readonly OpOverload Mean = Def("mean(Tensor self, *, ScalarType? dtype=None) -> Tensor",
        meta: a => new TensorMeta(MeanType(T0(a).DType, (DType?)a[1]), []));

    public static readonly OpOverload ProdDim = Def("prod.dim_int(Tensor self, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
        meta: a => ReduceMeta([a[0], new[] { S(a[1]) }, a[2], a[3]], SumType), tags: "core");

    /// <summary>max/min-like reductions have no identity: each reduced dim must be non-empty (other dims may be).</summary>
    private static void CheckNonEmptyReduction(string op, Tensor self, int[] dims)
    {
        foreach (var d in dims)
            if (self.Shape[d] == 0)
                throw new ArgumentException($"{op}(): Expected reduction dim {d} to have non-zero size.");
    }

    private static MetaFunction ExtremumMeta(string op) => a =>
    {
        var self = T0(a);
        var dims = ReducedDims(self, a[1]);
        CheckNonEmptyReduction(op, self, dims);
        return new TensorMeta(self.DType, ReducedShape(self, dims, B(a[2])));
    };

    public static readonly OpOverload Amax = Def("amax(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor", meta: ExtremumMeta("amax"), tags: "core");

    public static readonly OpOverload Amin = Def("amin(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor", meta: ExtremumMeta("amin"), tags: "core");

    /// <summary>max()/min() of a whole tensor: what torch records for x.max() and torch.max(x) (decomposed to amax/amin).</summary>
    private static MetaFunction WholeExtremumMeta(string op) => a =>
    {
        var self = T0(a);
        if (self.Numel() == 0)
            throw new ArgumentException($"{op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        return new TensorMeta(self.DType, []);
    };

    public static readonly OpOverload Max = Def("max(Tensor self) -> Tensor", meta: WholeExtremumMeta("max"));

    public static readonly OpOverload Min = Def("min(Tensor self) -> Tensor", meta: WholeExtremumMeta("min"));

    private static MetaFunction ValuesIndicesMeta(string op) => a =>
    {
        var self = T0(a);
        var dims = ReducedDims(self, new[] { S(a[1]) });
        CheckNonEmptyReduction(op, self, dims);
        var shape = ReducedShape(self, dims, B(a[2]));
        return new[] { new TensorMeta(self.DType, shape), new TensorMeta(DType.Int64, shape) };
    };

    public static readonly OpOverload MaxDim = Def("max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)", meta: ValuesIndicesMeta("max"), tags: "core");

    public static readonly OpOverload MinDim = Def("min.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)", meta: ValuesIndicesMeta("min"), tags: "core");

    private static MetaFunction ArgExtremumMeta(string op) => a =>
    {
        var self = T0(a);
        if (a[1] is null)
        {
            if (self.Numel() == 0) throw new ArgumentException($"{op}(): Expected reduction dim to be specified for input.numel() == 0.");
            return new TensorMeta(DType.Int64, B(a[2]) ? Enumerable.Repeat(new SymInt(1), self.Ndim).ToArray() : []);
        }
        var dims = ReducedDims(self, new[] { S(a[1]) });
        CheckNonEmptyReduction(op, self, dims);
        return new TensorMeta(DType.Int64, ReducedShape(self, dims, B(a[2])));
    };

    public static readonly OpOverload Argmax = Def("argmax(Tensor self, int? dim=None, bool keepdim=False) -> Tensor", meta: ArgExtremumMeta("argmax"), tags: "core");

    public static readonly OpOverload Argmin = Def("argmin(Tensor self, int? dim=None, bool keepdim=False) -> Tensor", meta: ArgExtremumMeta("argmin"), tags: "core");

    public static readonly OpOverload VarCorrection = Def("var.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> Tensor",
        meta: a =>
        {
            var self = T0(a);
            if (!self.DType.IsFloatingPoint()) throw new ArgumentException($"std and var only support floating point and complex dtypes, got {self.DType.TorchName()}");
            var dims = ReducedDims(self, a[1]);
            return new TensorMeta(self.DType, ReducedShape(self, dims, B(a[3])));
        }, tags: "core");

    public static readonly OpOverload AnyDims = Def("any.dims(Tensor self, int[]? dim=None, bool keepdim=False) -> Tensor",
        meta: a => new TensorMeta(AnyAllType(T0(a).DType), ReducedShape(T0(a), AnyAllDims(T0(a), a[1]), B(a[2]))), tags: "core");

    /// <summary>
    /// The dims any.dims reduces: None means all of them, but unlike sum and mean (where [] also means all), torch
    /// 2.14 reads an empty list as no dims at all, so any(x, dim=[]) tests each element on its own (keepdim is moot).
    /// </summary>
    internal static int[] AnyAllDims(Tensor self, object? dims) => dims is SymInt[] { Length: 0 } ? [] : ReducedDims(self, dims);

    /// <summary>any and all give bool, except that a uint8 input keeps uint8 (0 or 1), torch's legacy rule.</summary>
    internal static DType AnyAllType(DType input) => input == DType.UInt8 ? DType.UInt8 : DType.Bool;

    public static readonly OpOverload Any = Def("any(Tensor self) -> Tensor", meta: a => new TensorMeta(AnyAllType(T0(a).DType), []), tags: "core");

    public static readonly OpOverload All = Def("all(Tensor self) -> Tensor", meta: a => new TensorMeta(AnyAllType(T0(a).DType), []));

    /// <summary>Running products along dim (not core: it decomposes to a masked prod, exact as multiplying by one is).</summary>
    public static readonly OpOverload Cumprod = Def("cumprod(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor",
        meta: a =>
        {
            var self = T0(a);
            ShapeRules.WrapDim(L(a[1]), self.Ndim);
            return new TensorMeta(SumType(self.DType, (DType?)a[2]), self.Shape.AsArray());
        });

    public static readonly OpOverload Cumsum = Def("cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor",
        meta: a =>
        {
            var self = T0(a);
            ShapeRules.WrapDim(L(a[1]), self.Ndim);
            return new TensorMeta(SumType(self.DType, (DType?)a[2]), self.Shape.AsArray());
        }, tags: "core");
}
