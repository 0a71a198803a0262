namespace Graphport;

/// <summary>
/// The flat, typed memory behind one or more tensors (views share it). The array's element type is the
/// CLR type of the dtype: float[], double[], Half[], BFloat16[], long[], int[], sbyte[], byte[], bool[],
/// ComplexFloat[] or System.Numerics.Complex[].
/// </summary>
public sealed class Storage
{
    private Storage(Array data, DType dtype)
    {
        Data = data;
        DType = dtype;
    }

    public Array Data { get; }

    public DType DType { get; }

    public long Length => Data.LongLength;

    public static Storage Allocate(DType dtype, long length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), $"Cannot allocate {length} elements.");
        if (length > Array.MaxLength)
            throw new OutOfMemoryException($"A tensor of {length} elements exceeds the CPU backend's limit of {Array.MaxLength} elements per storage.");
        int n = (int)length;
        Array data = dtype switch
        {
            DType.Float32 => new float[n],
            DType.Float64 => new double[n],
            DType.Float16 => new Half[n],
            DType.BFloat16 => new BFloat16[n],
            DType.Int64 => new long[n],
            DType.Int32 => new int[n],
            DType.Int8 => new sbyte[n],
            DType.UInt8 => new byte[n],
            DType.Complex64 => new ComplexFloat[n],
            DType.Complex128 => new System.Numerics.Complex[n],
            _ => new bool[n],
        };
        return new Storage(data, dtype);
    }

    public static Storage Wrap(Array data)
    {
        var dtype = data switch
        {
            float[] => DType.Float32,
            double[] => DType.Float64,
            Half[] => DType.Float16,
            BFloat16[] => DType.BFloat16,
            long[] => DType.Int64,
            int[] => DType.Int32,
            // The CLR lets a byte[] pass as sbyte[] (and back), so the signed case checks the exact type.
            sbyte[] s when s.GetType() == typeof(sbyte[]) => DType.Int8,
            byte[] => DType.UInt8,
            bool[] => DType.Bool,
            ComplexFloat[] => DType.Complex64,
            System.Numerics.Complex[] => DType.Complex128,
            _ => throw new ArgumentException($"Arrays of {data.GetType().GetElementType()} cannot back a tensor; use float, double, Half, BFloat16, long, int, sbyte, byte, bool, ComplexFloat or System.Numerics.Complex.", nameof(data)),
        };
        return new Storage(data, dtype);
    }

    public T[] As<T>() => Data as T[] ?? throw new InvalidCastException($"Storage holds {DType.TorchName()} ({Data.GetType().Name}), not {typeof(T).Name}[].");

    public double GetDouble(long index) => Data switch
    {
        float[] a => a[index],
        double[] a => a[index],
        Half[] a => (double)a[index],
        BFloat16[] a => a[index],
        long[] a => a[index],
        int[] a => a[index],
        sbyte[] a when DType == DType.Int8 => a[index],
        byte[] a => a[index],
        bool[] a => a[index] ? 1 : 0,
        _ => throw NotReal(),
    };

    /// <summary>The element at <paramref name="index"/> as a complex number (a real dtype's value has imaginary part 0).</summary>
    public System.Numerics.Complex GetComplex(long index) => Data switch
    {
        ComplexFloat[] a => a[index],
        System.Numerics.Complex[] a => a[index],
        _ => GetDouble(index),
    };

    /// <summary>Stores a complex value; only complex storages take one (a real storage would drop the imaginary part).</summary>
    public void SetComplex(long index, System.Numerics.Complex value)
    {
        switch (Data)
        {
            case ComplexFloat[] a: a[index] = (ComplexFloat)value; break;
            case System.Numerics.Complex[] a: a[index] = value; break;
            default: throw new InvalidOperationException($"Cannot store a complex value in a {DType.TorchName()} storage.");
        }
    }

    private InvalidOperationException NotReal() => new(
        $"A {DType.TorchName()} element is not a real number: read it with GetComplex (or take .real / .abs() first).");

    public long GetInt64(long index) => Data switch
    {
        float[] a => (long)a[index],
        double[] a => (long)a[index],
        Half[] a => (long)(double)a[index],
        BFloat16[] a => (long)(float)a[index],
        long[] a => a[index],
        int[] a => a[index],
        sbyte[] a when DType == DType.Int8 => a[index],
        byte[] a => a[index],
        bool[] a => a[index] ? 1 : 0,
        _ => throw NotReal(),
    };

    public void SetDouble(long index, double value)
    {
        switch (Data)
        {
            case float[] a: a[index] = (float)value; break;
            case double[] a: a[index] = value; break;
            case Half[] a: a[index] = (Half)value; break;
            case BFloat16[] a: a[index] = (BFloat16)value; break;
            case long[] a: a[index] = (long)value; break;
            case int[] a: a[index] = (int)value; break;
            case sbyte[] a when DType == DType.Int8: a[index] = (sbyte)value; break;
            case byte[] a: a[index] = (byte)value; break;
            case bool[] a: a[index] = value != 0; break;
            case ComplexFloat[] a: a[index] = new ComplexFloat((float)value, 0); break;
            case System.Numerics.Complex[] a: a[index] = value; break;
        }
    }
}
