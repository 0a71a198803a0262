namespace Graphport.Operators;

internal static partial class Eager
{
    /// <summary>A contiguous tensor of the given dtype and shape with every element set to <paramref name="value"/>.</summary>
    public static Tensor Full(DType dtype, long[] shape, object value)
    {
        var t = Tensor.Empty(dtype, shape);
        double d = value switch
        {
            double x => x,
            long x => x,
            bool x => x ? 1 : 0,
            SymInt s => (long)s,
            _ => throw new ArgumentException($"fill value must be a number, got {value.GetType().Name}"),
        };
        switch (t.Storage.Data)
        {
            case float[] a: Array.Fill(a, (float)d); break;
            case double[] a: Array.Fill(a, d); break;
            case Half[] a: Array.Fill(a, (Half)d); break;
            case BFloat16[] a: Array.Fill(a, (BFloat16)d); break;
            case long[] a: Array.Fill(a, (long)d); break;
            case int[] a: Array.Fill(a, (int)d); break;
            case sbyte[] a when dtype == DType.Int8: Array.Fill(a, (sbyte)d); break;
            case byte[] a: Array.Fill(a, (byte)d); break;
            case bool[] a: Array.Fill(a, d != 0); break;
        }
        return t;
    }
}
