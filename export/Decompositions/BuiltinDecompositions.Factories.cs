using Graphport.Operators;

namespace Graphport;

/// <summary>Factories: zeros/ones → full, arange(end) and arange(start, end) → arange.start_step, linspace → arange arithmetic, *_like → full_like / empty / rand(n), randint and bernoulli from rand.</summary>
internal static partial class BuiltinDecompositions
{
    // The options a factory was given go on to the call it becomes, as torch's decompositions pass them, with what
    // torch's add: a strided layout, and for zeros/ones an explicit dtype (arguments: size or self, dtype, layout,
    // device, pin_memory; the *_like ones then memory_format).

    // An arange form as the arange.start_step call it maps onto (Aten.ArangeAsStartStep), its layout made strided.
    private static Tensor AsStartStep(OpOverload form, object?[] a)
    {
        var s = Aten.ArangeAsStartStep(form, a);
        return Aten.CallKw(Aten.ArangeStartStep, s[..3], ("dtype", s[3]), ("layout", s[4] ?? Layout.Strided), ("device", s[5]), ("pin_memory", s[6]));
    }

    private static (string, object?)[] FullOptions(object?[] a) =>
        [("dtype", a[1] ?? DType.Float32), ("layout", a[2] ?? Layout.Strided), ("device", a[3]), ("pin_memory", a[4])];

    private static (string, object?)[] LikeOptions(object?[] a) =>
        [("dtype", a[1]), ("layout", a[2]), ("device", a[3]), ("pin_memory", a[4]), ("memory_format", a[5] ?? MemoryFormat.Preserve)];

    private static void RegisterFactories()
    {
        Register("aten::zeros", a => Aten.CallKw(Aten.Full, [a[0], 0L], FullOptions(a)));
        Register("aten::ones", a => Aten.CallKw(Aten.Full, [a[0], 1L], FullOptions(a)));
        Register("aten::arange", a => AsStartStep(Aten.Arange, a));
        Register("aten::arange.start", a => AsStartStep(Aten.ArangeStart, a));
        Register("aten::linspace", Aten.LinspaceDecomposition);
        Register("aten::zeros_like", a => Aten.CallKw(Aten.FullLike, [a[0], 0L], LikeOptions(a)));
        Register("aten::ones_like", a => Aten.CallKw(Aten.FullLike, [a[0], 1L], LikeOptions(a)));
        Register("aten::empty_like", a => Aten.CallKw(Aten.EmptyMemoryFormat, [T(a[0]).Shape.AsArray()], ("dtype", a[1] ?? T(a[0]).DType)));
        Register("aten::rand_like", a => Aten.CallKw(Aten.Rand, [T(a[0]).Shape.AsArray()], ("dtype", a[1] ?? T(a[0]).DType)));
        Register("aten::randn_like", a => Aten.CallKw(Aten.Randn, [T(a[0]).Shape.AsArray()], ("dtype", a[1] ?? T(a[0]).DType)));
        Register("aten::randint.low", a =>
        {
            long low = Aten.L(a[0]), high = Aten.L(a[1]);
            var u = Aten.CallKw(Aten.Rand, [a[2]], ("dtype", DType.Float64));
            var scaled = Aten.Call(Aten.Floor, Aten.Call(Aten.Mul, u, (double)(high - low)));
            return Aten.CallKw(Aten.ToCopy, [Aten.Call(Aten.Add, scaled, low)], ("dtype", a[3] ?? DType.Int64));
        });
        Register("aten::bernoulli", a =>
        {
            var x = T(a[0]);
            var u = Aten.CallKw(Aten.Rand, [x.Shape.AsArray()], ("dtype", x.DType));
            return Aten.CallKw(Aten.ToCopy, [Aten.Call(Aten.LtTensor, u, x)], ("dtype", x.DType));
        });
        Register("aten::bernoulli.p", a =>
        {
            var x = T(a[0]);
            var u = Aten.CallKw(Aten.Rand, [x.Shape.AsArray()], ("dtype", x.DType));
            return Aten.CallKw(Aten.ToCopy, [Aten.Call(Aten.LtScalar, u, Aten.D(a[1]))], ("dtype", x.DType));
        });
    }
}
