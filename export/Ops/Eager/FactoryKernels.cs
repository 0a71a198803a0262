using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>Eager kernels of tensor factories; random ones draw from the default Philox generator.</summary>
internal static class FactoryKernels
{
    public static KernelFunction FromMeta(Func<OpOverload> op, Func<object?[], object> fillValue) => a =>
    {
        var meta = (TensorMeta)op().Meta!(a);
        return Eager.Full(meta.DType, Eager.Longs(meta.Shape), fillValue(a));
    };

    public static readonly KernelFunction Arange = a =>
    {
        var meta = (TensorMeta)Aten.ArangeStartStep.Meta!(a);
        long n = (long)meta.Shape[0];
        double start = Aten.D(a[0]), step = Aten.D(a[2]);
        if (!meta.DType.IsFloatingPoint())
        {
            var values = new long[n];
            for (long i = 0; i < n; i++) values[i] = (long)(start + i * step);
            return Eager.Wrap(values, [n], meta.DType);
        }
        var doubles = new double[n];
        for (long i = 0; i < n; i++) doubles[i] = start + i * step;
        return Eager.Wrap(doubles, [n], meta.DType);
    };

    public static KernelFunction Random(Func<OpOverload> op, bool normal) => a =>
    {
        var meta = (TensorMeta)op().Meta!(a);
        var shape = Eager.Longs(meta.Shape);
        long n = Cpu.ShapeMath.Numel(shape);
        if (!meta.DType.IsFloatingPoint())
            throw new ArgumentException($"\"{(normal ? "normal" : "uniform")}_kernel_cpu\" not implemented for '{DTypeNames.Capitalized(meta.DType)}'");
        if (meta.DType == DType.Float64)
        {
            var d = new double[n];
            if (normal) RandomGenerator.Default.FillNormal(d);
            else RandomGenerator.Default.FillUniform(d);
            return Eager.Wrap(d, shape, meta.DType);
        }
        var f = new float[n];
        if (normal) RandomGenerator.Default.FillNormal(f);
        else RandomGenerator.Default.FillUniform(f);
        return Eager.Wrap(f, shape, meta.DType);
    };

    public static readonly KernelFunction Randint = a =>
    {
        var meta = (TensorMeta)Aten.RandintLow.Meta!(a);
        var shape = Eager.Longs(meta.Shape);
        var values = new long[Cpu.ShapeMath.Numel(shape)];
        RandomGenerator.Default.FillRandint(values, Aten.L(a[0]), Aten.L(a[1]));
        return Eager.Wrap(values, shape, meta.DType);
    };

    public static readonly KernelFunction Bernoulli = a =>
    {
        var self = Aten.T0(a);
        var values = new float[self.NumelLong];
        RandomGenerator.Default.Bernoulli(values, Aten.D(a[1]));
        return Eager.Wrap(values, self.Sizes, self.DType);
    };
}
