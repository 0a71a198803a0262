using Graphport.Operators;

namespace Graphport;

/// <summary>Reading values out of real tensors (torch's .item(), .tolist(), repr).</summary>
public partial class Tensor
{
    /// <summary>The single value of a one-element tensor, as a double (torch's x.item()).</summary>
    public double Item()
    {
        if (IsFake)
            throw new DataDependentException(
                "Item() reads tensor data, which is unknown while tracing" +
                (Tracing.UserFrames.Current() is { } where ? $" (at {where})" : "") +
                ". Keep the value a tensor (it broadcasts like a number), or use Torch.Cond for a branch on it.");
        if (NumelLong != 1)
            throw new InvalidOperationException($"a Tensor with {NumelLong} elements cannot be converted to Scalar");
        return GetDouble(0);
    }

    /// <summary>
    /// The single value converted to T (double, float, long, int, bool). Item&lt;SymInt&gt;() of an integer tensor
    /// also works while exporting: it yields a data-dependent size (u0) that Torch.Check can bound.
    /// </summary>
    public T Item<T>() where T : struct
    {
        if (typeof(T) == typeof(SymInt))
        {
            if (DType.IsFloatingPoint()) throw new ArgumentException($"Item<SymInt>() needs an integer tensor, got {DType.TorchName()}.");
            return (T)(object)Aten.S(Operators.Dispatcher.Invoke(Aten.LocalScalarDense, Aten.LocalScalarDense.BindArgs([this])));
        }
        if (typeof(T) == typeof(System.Numerics.Complex))
        {
            if (NumelLong != 1) throw new InvalidOperationException($"a Tensor with {NumelLong} elements cannot be converted to Scalar");
            return (T)(object)Storage.GetComplex(StorageIndex(0));
        }
        double v = Item();
        object boxed = typeof(T) == typeof(bool) ? v != 0
            : typeof(T) == typeof(long) ? (DType.IsFloatingPoint() ? (long)v : GetInt64(0))
            : Convert.ChangeType(v, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        return (T)boxed;
    }

    /// <summary>A row-major copy of the elements as T[] (converted from the tensor's dtype).</summary>
    public T[] ToArray<T>()
    {
        if (IsFake) throw FakeDataAccess("its values");
        var target = DTypeFor(typeof(T));
        if (DType.IsComplex() && !target.IsComplex())
            throw new InvalidOperationException($"A {DType.TorchName()} tensor's elements are complex: read them as ToArray<System.Numerics.Complex>() (or ComplexFloat), or take .Real / .Imag / .Abs() first.");
        var result = Empty(target, sizes);
        Eager.CopyInto(result, this);
        return (T[])result.Storage.Data;
    }

    private static DType DTypeFor(Type t) =>
        t == typeof(float) ? DType.Float32 :
        t == typeof(double) ? DType.Float64 :
        t == typeof(System.Half) ? DType.Float16 :
        t == typeof(BFloat16) ? DType.BFloat16 :
        t == typeof(long) ? DType.Int64 :
        t == typeof(int) ? DType.Int32 :
        t == typeof(sbyte) ? DType.Int8 :
        t == typeof(byte) ? DType.UInt8 :
        t == typeof(bool) ? DType.Bool :
        t == typeof(ComplexFloat) ? DType.Complex64 :
        t == typeof(System.Numerics.Complex) ? DType.Complex128 :
        throw new ArgumentException($"Tensors hold float, double, Half, BFloat16, long, int, sbyte, byte, bool, ComplexFloat or System.Numerics.Complex; not {t.Name}.");

    /// <summary>True when both tensors have the same shape and all elements are within the tolerances (torch.allclose).</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        if (!Shape.Equals(other.Shape)) return false;
        if (DType.IsComplex() || other.DType.IsComplex())
        {
            var x = ToArray<System.Numerics.Complex>();
            var y = other.ToArray<System.Numerics.Complex>();
            for (int i = 0; i < x.Length; i++)
            {
                if (double.IsNaN(x[i].Real) || double.IsNaN(x[i].Imaginary) || double.IsNaN(y[i].Real) || double.IsNaN(y[i].Imaginary)) return false;
                if (System.Numerics.Complex.Abs(x[i] - y[i]) > atol + rtol * System.Numerics.Complex.Abs(y[i])) return false;
            }
            return true;
        }
        var a = ToArray<double>();
        var b = other.ToArray<double>();
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(a[i]) || double.IsNaN(b[i])) return false;
            if (Math.Abs(a[i] - b[i]) > atol + rtol * Math.Abs(b[i])) return false;
        }
        return true;
    }
}
