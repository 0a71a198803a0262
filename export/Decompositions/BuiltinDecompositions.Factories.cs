namespace Graphport;

/// <summary>Factories: zeros/ones → full, arange(end) and arange(start, end) → arange.start_step, *_like → full_like / empty / rand(n), randint and bernoulli from rand.</summary>
internal static partial class BuiltinDecompositions
{
    // The factory options an arange form was given, from its first option argument on (dtype, layout, device, pin_memory).
    private static (string, object?)[] StartStepOptions(object?[] a, int first) => [("dtype", a[first]), ("device", a[first + 2]), ("pin_memory", a[first + 3])];

    private static void RegisterFactories()
    {
        // The device and pin_memory the factory was given go on to the full it becomes, as torch's decompositions
        // pass them (arguments: size or self, dtype, layout, device, pin_memory).
        Register("aten::zeros", a => Aten.CallKw(Aten.Full, [a[0], 0L], ("dtype", a[1] ?? DType.Float32), ("device", a[3]), ("pin_memory", a[4])));
        Register("aten::ones", a => Aten.CallKw(Aten.Full, [a[0], 1L], ("dtype", a[1] ?? DType.Float32), ("device", a[3]), ("pin_memory", a[4])));
        Register("aten::arange", a => Aten.CallKw(Aten.ArangeStartStep, Aten.ArangeAsStartStep(Aten.Arange, a)[..3], StartStepOptions(a, 1)));
        Register("aten::arange.start", a => Aten.CallKw(Aten.ArangeStartStep, Aten.ArangeAsStartStep(Aten.ArangeStart, a)[..3], StartStepOptions(a, 2)));
        Register("aten::zeros_like", a => Aten.CallKw(Aten.FullLike, [a[0], 0L], ("dtype", a[1]), ("device", a[3]), ("pin_memory", a[4])));
        Register("aten::ones_like", a => Aten.CallKw(Aten.FullLike, [a[0], 1L], ("dtype", a[1]), ("device", a[3]), ("pin_memory", a[4])));
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
        Register("aten::bernoulli.p", a =>
        {
            var x = T(a[0]);
            var u = Aten.CallKw(Aten.Rand, [x.Shape.AsArray()], ("dtype", x.DType));
            return Aten.CallKw(Aten.ToCopy, [Aten.Call(Aten.LtScalar, u, Aten.D(a[1]))], ("dtype", x.DType));
        });
    }
}
