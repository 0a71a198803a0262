namespace Graphport.Operators;

/// <summary>Multi-dimensional index stepping for the few kernels that walk a broadcast layout element by element.</summary>
internal static class StridedLoops
{
    public static void Increment(long[] index, long[] shape)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (++index[d] < shape[d]) return;
            index[d] = 0;
        }
    }
}
