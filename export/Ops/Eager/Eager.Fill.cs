namespace Graphport.Operators;

internal static partial class Eager
{
    /// <summary>
    /// A contiguous tensor of the given dtype and shape with every element set to <paramref name="value"/>. The ops
    /// that call this check first (in their meta functions) that the value fits the dtype; an integer value is stored
    /// without passing through double, so int64 keeps all 64 bits and -1 wraps to 255 in uint8, as in torch.
    /// </summary>
    public static Tensor Full(DType dtype, long[] shape, object value)
    {
        var t = Tensor.Empty(dtype, shape);
        if (dtype.IsComplex())
        {
            var c = value switch
            {
                System.Numerics.Complex z => z,
                double x => x,
                long x => x,
                int x => x,
                bool x => x ? 1 : 0,
                SymInt s => (long)s,
                _ => throw new ArgumentException($"fill value must be a number, got {value.GetType().Name}"),
            };
            if (t.Storage.Data is ComplexFloat[] cf) Array.Fill(cf, (ComplexFloat)c);
            else Array.Fill((System.Numerics.Complex[])t.Storage.Data, c);
            return t;
        }
        long? integer = value switch
        {
            long x => x,
            int x => x,
            bool x => x ? 1 : 0,
            SymInt s => (long)s,
            _ => null,
        };
        double d = value switch
        {
            double x => x,
            _ when integer is long i => i,
            _ => throw new ArgumentException($"fill value must be a number, got {value.GetType().Name}"),
        };
        // A float value for an integer dtype truncates toward zero first (2.5 → 2, -0.5 → 0), as Scalar.to<int>() does.
        long whole = integer ?? (long)d;
        switch (t.Storage.Data)
        {
            case float[] a: Array.Fill(a, (float)d); break;
            case double[] a: Array.Fill(a, d); break;
            case Half[] a: Array.Fill(a, (Half)d); break;
            case BFloat16[] a: Array.Fill(a, (BFloat16)d); break;
            case long[] a: Array.Fill(a, whole); break;
            case int[] a: Array.Fill(a, unchecked((int)whole)); break;
            case sbyte[] a when dtype == DType.Int8: Array.Fill(a, unchecked((sbyte)whole)); break;
            case byte[] a: Array.Fill(a, unchecked((byte)whole)); break;
            case bool[] a: Array.Fill(a, d != 0); break;
        }
        return t;
    }
}
