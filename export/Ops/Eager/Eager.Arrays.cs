using System.Numerics;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Bridges tensors and the array kernels in Graphport.Cpu: typed views of storage in a compute type
/// (float for float32/16/bf16, double, long for integers), broadcast layouts, wrapping results as tensors.
/// </summary>
internal static partial class Eager
{
    public static StridedLayout LayoutOf(Tensor t) => new(t.Sizes, t.strides, t.offset);

    /// <summary>The CLR type kernels compute in for a result dtype.</summary>
    public static DType ComputeDType(DType dtype) => dtype switch
    {
        DType.Float32 or DType.Float16 or DType.BFloat16 => DType.Float32,
        DType.Float64 => DType.Float64,
        DType.Bool => DType.Bool,
        // Complex results have their own kernels (ComplexPointwise); a kernel without one reads its operands with As<T>,
        // which refuses a complex tensor rather than dropping its imaginary parts.
        DType.Complex64 or DType.Complex128 => dtype,
        _ => DType.Int64,
    };

    /// <summary>The tensor's elements as T[] with their layout; converts (contiguously) when the dtype differs.</summary>
    public static (T[] Data, StridedLayout Layout) As<T>(Tensor t) where T : unmanaged
    {
        var layout = LayoutOf(t);
        if (t.Storage.Data is T[] same) return (same, layout);
        if (t.DType.IsComplex() && typeof(T) != typeof(Complex) && typeof(T) != typeof(ComplexFloat))
            throw new NotSupportedException(
                $"This op has no kernel for {t.DType.TorchName()} tensors ('{DTypeNames.Capitalized(t.DType)}'). Apply it to the real and imaginary parts (Torch.Real / Torch.Imag, or ViewAsReal) or to the magnitude (Abs).");
        var converted = new T[t.NumelLong];
        Cast.Convert(t.Storage.Data, layout, converted);
        return (converted, StridedLayout.Contiguous(t.Sizes));
    }

    /// <summary>The tensor's elements as a contiguous T[] (copied unless already contiguous from offset 0).</summary>
    public static T[] Dense<T>(Tensor t) where T : unmanaged
    {
        var (data, layout) = As<T>(t);
        if (layout.IsContiguous && layout.Offset == 0 && data.LongLength == layout.Numel) return data;
        return StridedCopy.ToContiguous(data, layout);
    }

    /// <summary>A tensor or number as T[] with a layout broadcast to <paramref name="shape"/>.</summary>
    public static (T[] Data, StridedLayout Layout) Operand<T>(object? operand, long[] shape) where T : unmanaged, INumber<T>
    {
        if (operand is Tensor t)
        {
            var (data, layout) = As<T>(t);
            return (data, layout.BroadcastTo(shape));
        }
        return ([Scalar<T>(operand)], new StridedLayout(shape, new long[shape.Length], 0));
    }

    public static (bool[] Data, StridedLayout Layout) BoolOperand(object? operand, long[] shape)
    {
        if (operand is Tensor t)
        {
            var (data, layout) = As<bool>(t);
            return (data, layout.BroadcastTo(shape));
        }
        return ([Scalar<long>(operand) != 0], new StridedLayout(shape, new long[shape.Length], 0));
    }

    public static T Scalar<T>(object? value) where T : INumber<T> => value switch
    {
        double d => T.CreateTruncating(d),
        long l => T.CreateTruncating(l),
        int i => T.CreateTruncating(i),
        bool b => b ? T.One : T.Zero,
        SymInt s => T.CreateTruncating((long)s),
        Complex c => throw new NotSupportedException($"The complex number {c} cannot take part in a real op; use a complex tensor."),
        Tensor t => T.CreateTruncating(t.Item()),
        _ => throw new ArgumentException($"Expected a number, got {value?.GetType().Name ?? "null"}."),
    };

    /// <summary>Wraps a row-major T[] of the given shape as a tensor of <paramref name="dtype"/> (converting if needed).</summary>
    public static Tensor Wrap<T>(T[] data, long[] shape, DType dtype) where T : unmanaged
    {
        var storage = Storage.Wrap(data);
        var tensor = new Tensor(storage, shape, Tensor.ContiguousStrides(shape), 0);
        if (storage.DType == dtype) return tensor;
        var result = Tensor.Empty(dtype, shape);
        Cast.Convert(data, StridedLayout.Contiguous(shape), result.Storage.Data);
        return result;
    }

    public static Tensor Wrap<T>(Dense<T> dense, DType dtype) where T : unmanaged => Wrap(dense.Data, dense.Shape, dtype);

    public static long[] Longs(SymInt[] shape) => shape.Select(s => (long)s).ToArray();
}
