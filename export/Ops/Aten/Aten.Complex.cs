using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Making, taking apart and transforming complex tensors: torch.complex, torch.polar, view_as_real/view_as_complex,
/// real/imag, conj, angle, sgn. torch's Core ATen opset has no op that makes or reads complex numbers except the two
/// FFTs, and torch has no decomposition for these, so they carry the "complex" tag: RunDecompositions keeps them, as
/// torch's run_decompositions does.
/// </summary>
internal static partial class Aten
{
    private static void RequireComplex(string op, Tensor x, string instead)
    {
        if (!x.DType.IsComplex())
            throw new ArgumentException($"{op} is only supported for complex tensors, but got a tensor of dtype {x.DType.TorchName()}. {instead}");
    }

    public static readonly OpOverload ViewAsReal = Def("view_as_real(Tensor(a) self) -> Tensor(a)", meta: a =>
    {
        RequireComplex("view_as_real", T0(a), "A real tensor needs no view: use it as is, or make it complex with Torch.Complex(x, Torch.ZerosLike(x)).");
        return new TensorMeta(T0(a).DType.ToReal(), [.. T0(a).Shape.AsArray(), 2]);
    }, kernel: a => ComplexKernels.ViewAsReal(T0(a)), tags: "complex");

    public static readonly OpOverload ViewAsComplex = Def("view_as_complex(Tensor(a) self) -> Tensor(a)", meta: a =>
    {
        var x = T0(a);
        if (x.DType is not (DType.Float32 or DType.Float64))
            throw new ArgumentException($"view_as_complex is only supported for float and double tensors, but got a tensor of scalar type: {DTypeNames.Capitalized(x.DType)}. Convert it first, e.g. x.To(DType.Float32).");
        if (x.Ndim == 0 || !(x.Shape[^1] == 2))
            throw new ArgumentException($"Tensor must have a last dimension of size 2, but got shape [{string.Join(", ", x.Shape.AsArray())}]. Reshape the pairs into the last dim first, e.g. x.Reshape(..., -1, 2).");
        return new TensorMeta(x.DType.ToComplex(), x.Shape.AsArray()[..^1]);
    }, kernel: a => ComplexKernels.ViewAsComplex(T0(a), T0(a).DType.ToComplex()), tags: "complex");

    /// <summary>torch.complex and torch.polar take two real tensors of one floating dtype (no promotion), broadcast.</summary>
    private static TensorMeta FromPartsMeta(string op, string first, string second, object?[] a)
    {
        Tensor x = T0(a), y = Tn(a, 1);
        if (x.DType != y.DType)
            throw new ArgumentException($"{op}: expected {first} and {second} to have the same dtype, but got {first}.dtype = {x.DType.TorchName()} and {second}.dtype = {y.DType.TorchName()}. Convert one of them first.");
        if (x.DType is not (DType.Float32 or DType.Float64))
            throw new ArgumentException($"{op}: expected both inputs to be Half, Float or Double tensors but got {DTypeNames.Capitalized(x.DType)} and {DTypeNames.Capitalized(y.DType)}. Convert them first, e.g. x.To(DType.Float32).");
        return new TensorMeta(x.DType.ToComplex(), ShapeRules.Broadcast(x.Shape.AsArray(), y.Shape.AsArray()));
    }

    public static readonly OpOverload ComplexFromParts = Def("complex(Tensor real, Tensor imag) -> Tensor",
        meta: a => FromPartsMeta("complex", "real", "imag", a),
        kernel: a => ComplexKernels.FromParts(T0(a), Tn(a, 1), T0(a).DType.ToComplex(), polar: false), tags: "complex");

    public static readonly OpOverload Polar = Def("polar(Tensor abs, Tensor angle) -> Tensor",
        meta: a => FromPartsMeta("polar", "abs", "angle", a),
        kernel: a => ComplexKernels.FromParts(T0(a), Tn(a, 1), T0(a).DType.ToComplex(), polar: true), tags: "complex");

    /// <summary>torch's lazy conjugate (x.conj() of a complex tensor); here it computes the conjugate at once.</summary>
    public static readonly OpOverload Conj = Def("_conj(Tensor(a) self) -> Tensor(a)", meta: a => new TensorMeta(T0(a).DType, (SymInt[])T0(a).Shape.AsArray().Clone()),
        kernel: a => ComplexKernels.Conjugate(T0(a)), tags: "complex");

    public static readonly OpOverload ConjPhysical = Def("conj_physical(Tensor self) -> Tensor", meta: a => new TensorMeta(T0(a).DType, (SymInt[])T0(a).Shape.AsArray().Clone()),
        kernel: a => ComplexKernels.Conjugate(T0(a)), tags: "complex");

    public static readonly OpOverload Angle = Def("angle(Tensor self) -> Tensor", meta: a =>
    {
        var d = T0(a).DType;
        if (d == DType.Bool) throw NotImplementedFor("angle_cpu", "angle", d, "Convert the mask to a number first, e.g. x.To(DType.Float32).");
        return new TensorMeta(d.IsComplex() ? d.ToReal() : d.IsFloatingPoint() ? d : DType.Float32, (SymInt[])T0(a).Shape.AsArray().Clone());
    }, kernel: a =>
    {
        var d = T0(a).DType;
        return ComplexKernels.Angle(T0(a), d.IsComplex() ? d.ToReal() : d.IsFloatingPoint() ? d : DType.Float32);
    }, tags: "complex");

    /// <summary>x.real: the real parts of a complex tensor (view_as_real, then the first of each pair); a real tensor itself.</summary>
    public static readonly OpOverload Real = Composite("real(Tensor(a) self) -> Tensor(a)", RealBody);

    private static object? RealBody(object?[] a) =>
        T0(a).DType.IsComplex() ? Call(Select, Call(ViewAsReal, a[0]), -1L, 0L) : Call(Alias, a[0]);

    /// <summary>x.imag: the imaginary parts of a complex tensor; torch refuses it on a real one.</summary>
    public static readonly OpOverload Imag = Composite("imag(Tensor(a) self) -> Tensor(a)", ImagBody);

    private static object? ImagBody(object?[] a)
    {
        if (!T0(a).DType.IsComplex())
            throw new ArgumentException($"imag is not implemented for tensors with non-complex dtypes ({T0(a).DType.TorchName()}): a real tensor's imaginary parts are zero, Torch.ZerosLike(x).");
        return Call(Select, Call(ViewAsReal, a[0]), -1L, 1L);
    }

    /// <summary>x.conj(): the lazy conjugate of a complex tensor, and the tensor itself for a real one.</summary>
    public static readonly OpOverload ConjComposite = Composite("conj(Tensor(a) self) -> Tensor(a)", ConjBody);

    private static object? ConjBody(object?[] a) => T0(a).DType.IsComplex() ? Call(Conj, a[0]) : Call(Alias, a[0]);

    /// <summary>sgn: z/|z| (0 where z is 0) for complex tensors, as torch decomposes it; sign for real ones.</summary>
    public static readonly OpOverload Sgn = Composite("sgn(Tensor self) -> Tensor", SgnBody);

    private static object? SgnBody(object?[] a)
    {
        var x = T0(a);
        if (!x.DType.IsComplex()) return Call(Sign, x);
        var magnitude = Call(Abs, x);
        var zero = Call(EqScalar, magnitude, 0L);
        return Call(Where, zero, CallKw(ScalarTensor, [0L], ("dtype", x.DType)), Call(Div, x, magnitude));
    }
}
