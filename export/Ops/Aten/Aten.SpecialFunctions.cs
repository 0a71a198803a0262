using Graphport.Cpu;
using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Elementwise functions torch's run_decompositions keeps as they are (no decomposition exists): lgamma, digamma,
/// polygamma, erfc, i0, signbit, frexp, ldexp, nextafter, gcd and lcm. They carry the "no_decomposition" tag, so a
/// program decomposed to Core ATen keeps them, as torch's does.
/// </summary>
internal static partial class Aten
{
    private const string Undecomposed = "pointwise,no_decomposition";

    public static readonly OpOverload Lgamma = FloatFunction("lgamma", SpecialFunctions.LogGamma);
    public static readonly OpOverload Digamma = FloatFunction("digamma", SpecialFunctions.Digamma);
    public static readonly OpOverload Erfc = FloatFunction("erfc", SpecialFunctions.Erfc);
    public static readonly OpOverload I0 = FloatFunction("i0", SpecialFunctions.BesselI0);
    public static readonly OpOverload Polygamma = Def("polygamma(int n, Tensor self) -> Tensor", meta: a =>
    {
        if (L(a[0]) < 0) throw new ArgumentException($"polygamma(n, x) does not support negative n (got {L(a[0])}).");
        return RealOnly("polygamma", ResultRule.IntToFloat, a[1]);
    }, kernel: a => ElementwiseMathKernels.Map(Tn(a, 1), ResultDType(ResultRule.IntToFloat, Tn(a, 1).DType), x => SpecialFunctions.Polygamma((int)L(a[0]), x)), tags: Undecomposed);
    public static readonly OpOverload Signbit = Def("signbit(Tensor self) -> Tensor", meta: a => RealOnly("signbit", ResultRule.Bool, a[0]),
        kernel: a => ElementwiseMathKernels.MapToBool(T0(a), double.IsNegative), tags: Undecomposed);
    public static readonly OpOverload Frexp = Def("frexp.Tensor(Tensor self) -> (Tensor mantissa, Tensor exponent)", meta: a =>
    {
        var x = T0(a);
        if (!x.DType.IsFloatingPoint()) throw new ArgumentException($"torch.frexp() only supports floating-point dtypes, got {x.DType.TorchName()}; convert it first (x.float()).");
        return new[] { new TensorMeta(x.DType, (SymInt[])x.Shape.AsArray().Clone()), new TensorMeta(DType.Int32, (SymInt[])x.Shape.AsArray().Clone()) };
    }, kernel: a => ElementwiseMathKernels.Frexp(T0(a)), tags: Undecomposed);
    public static readonly OpOverload Ldexp = Def("ldexp.Tensor(Tensor self, Tensor other) -> Tensor", meta: a => RealOnly("ldexp", ResultRule.IntToFloat, a[0], a[1]),
        kernel: a => ElementwiseMathKernels.Map(T0(a), Tn(a, 1), ((TensorMeta)PointwiseMeta(ResultRule.IntToFloat, a[0], a[1])).DType, (x, e) => x * Math.Pow(2, e)), tags: Undecomposed);
    public static readonly OpOverload Nextafter = Def("nextafter(Tensor self, Tensor other) -> Tensor", meta: a =>
    {
        var meta = (TensorMeta)PointwiseMeta(ResultRule.Promoted, a[0], a[1]);
        if (meta.DType is not (DType.Float32 or DType.Float64))
            throw new ArgumentException($"\"nextafter_cpu\" not implemented for '{DTypeNames.Capitalized(meta.DType)}': nextafter takes float32 or float64 tensors.");
        return meta;
    }, kernel: a => ElementwiseMathKernels.MapInWidth(T0(a), Tn(a, 1), ((TensorMeta)PointwiseMeta(ResultRule.Promoted, a[0], a[1])).DType, NextFloat, NextDouble), tags: Undecomposed);
    public static readonly OpOverload Gcd = IntegerFunction("gcd", GreatestCommonDivisor);
    public static readonly OpOverload Lcm = IntegerFunction("lcm", LeastCommonMultiple);

    private static OpOverload FloatFunction(string name, Func<double, double> f) =>
        Def($"{name}(Tensor self) -> Tensor", meta: a => RealOnly(name, ResultRule.IntToFloat, a[0]),
            kernel: a => ElementwiseMathKernels.Map(T0(a), ResultDType(ResultRule.IntToFloat, T0(a).DType), f), tags: Undecomposed);

    private static OpOverload IntegerFunction(string name, Func<long, long, long> f) =>
        Def($"{name}(Tensor self, Tensor other) -> Tensor", meta: a =>
        {
            var meta = (TensorMeta)PointwiseMeta(ResultRule.Promoted, a[0], a[1]);
            if (!meta.DType.IsIntegral(includeBool: false))
                throw new ArgumentException($"\"{name}_cpu\" not implemented for '{DTypeNames.Capitalized(meta.DType)}': {name} takes integer tensors.");
            return meta;
        }, kernel: a => ElementwiseMathKernels.MapIntegers(T0(a), Tn(a, 1), ((TensorMeta)PointwiseMeta(ResultRule.Promoted, a[0], a[1])).DType, f), tags: Undecomposed);

    private static TensorMeta RealOnly(string name, ResultRule rule, params object?[] operands)
    {
        if (operands.OfType<Tensor>().Any(t => t.DType.IsComplex()))
            throw new ArgumentException($"{name} does not support complex tensors; take .Real, .Imag or .Abs() first.");
        return PointwiseMeta(rule, operands);
    }

    private static float NextFloat(float x, float toward) =>
        float.IsNaN(x) || float.IsNaN(toward) ? float.NaN : x == toward ? toward : x < toward ? MathF.BitIncrement(x) : MathF.BitDecrement(x);

    private static double NextDouble(double x, double toward) =>
        double.IsNaN(x) || double.IsNaN(toward) ? double.NaN : x == toward ? toward : x < toward ? Math.BitIncrement(x) : Math.BitDecrement(x);

    private static long GreatestCommonDivisor(long a, long b)
    {
        a = Math.Abs(a);
        b = Math.Abs(b);
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    private static long LeastCommonMultiple(long a, long b)
    {
        long g = GreatestCommonDivisor(a, b);
        return g == 0 ? 0 : Math.Abs(a / g * b);
    }
}
