namespace Graphport.Tests.Printing;

/// <summary>
/// A tensor over a plain array, enough to drive <see cref="TensorFormatter"/>. Floating values are
/// rounded to the dtype on the way in, as storing them into a torch tensor of that dtype would.
/// </summary>
internal sealed class ArrayTensor : ITensorElements
{
    private double[] FloatValues { get; init; } = [];

    private long[] IntegerValues { get; init; } = [];

    private bool[] BoolValues { get; init; } = [];

    private ArrayTensor(DType dtype, long[] shape, int count)
    {
        DType = dtype;
        Shape = shape;
        long numel = shape.Aggregate(1L, (a, b) => a * b);
        if (numel != count)
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {numel} elements, not {count}.");
    }

    public DType DType { get; }

    public long[] Shape { get; }

    /// <summary>A float32 tensor: the common case, and torch's default dtype.</summary>
    public static ArrayTensor F32(long[] shape, params float[] values) =>
        Floats(DType.Float32, shape, values.Select(v => (double)v).ToArray());

    public static ArrayTensor Floats(DType dtype, long[] shape, params double[] values) =>
        new(dtype, shape, values.Length) { FloatValues = values.Select(v => RoundTo(dtype, v)).ToArray() };

    /// <summary>
    /// Floating values exactly as given, without rounding to <paramref name="dtype"/>: stands for an
    /// implementation that hands back float32 elements computed in double.
    /// </summary>
    public static ArrayTensor Unrounded(DType dtype, long[] shape, params double[] values) =>
        new(dtype, shape, values.Length) { FloatValues = values };

    /// <summary>Any integer dtype; values must fit it.</summary>
    public static ArrayTensor Ints(DType dtype, long[] shape, params long[] values) =>
        new(dtype, shape, values.Length) { IntegerValues = values };

    public static ArrayTensor I64(long[] shape, params long[] values) => Ints(DType.Int64, shape, values);

    public static ArrayTensor Bools(long[] shape, params bool[] values) =>
        new(DType.Bool, shape, values.Length) { BoolValues = values };

    /// <summary><c>torch.arange(numel).reshape(shape)</c> in the given integer dtype.</summary>
    public static ArrayTensor Arange(DType dtype, params long[] shape)
    {
        long numel = shape.Aggregate(1L, (a, b) => a * b);
        return dtype.IsFloatingPoint()
            ? Floats(dtype, shape, Enumerable.Range(0, (int)numel).Select(i => (double)i).ToArray())
            : Ints(dtype, shape, Enumerable.Range(0, (int)numel).Select(i => (long)i).ToArray());
    }

    public double GetDouble(long flatIndex) => FloatValues[flatIndex];

    public long GetInt64(long flatIndex) => IntegerValues[flatIndex];

    public bool GetBool(long flatIndex) => BoolValues[flatIndex];

    private static double RoundTo(DType dtype, double value) => dtype switch
    {
        DType.Float32 => (float)value,
        DType.Float16 => (double)(Half)value,
        DType.BFloat16 => (float)(BFloat16)value,
        _ => value,
    };
}
