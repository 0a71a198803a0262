using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graphport.Cpu;

/// <summary>
/// output = relu(output + residual), or either step alone, in place and in one pass (a convolution's epilogue in a
/// frozen module): the same float32 add and ReLU as the add and relu ops, NaN carried through the ReLU as torch does.
/// </summary>
public static class ResidualRelu
{
    /// <summary>Elements per parallel chunk's unit (64 KiB of float).</summary>
    private const int Block = 1 << 14;

    /// <param name="residual">Added first when given; as long as <paramref name="output"/>.</param>
    public static void Apply(float[] output, float[]? residual, bool relu)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (residual is not null && residual.Length < output.Length)
            throw new ArgumentException($"ResidualRelu: the residual has {residual.Length} elements, fewer than the output's {output.Length}", nameof(residual));
        if (residual is null && !relu) return;
        long blocks = (output.Length + Block - 1) / Block;
        CpuParallel.For(blocks, Block * 2.0, (b0, b1) =>
        {
            int start = (int)(b0 * Block), end = (int)Math.Min(b1 * Block, output.Length);
            Run(output.AsSpan(start, end - start), residual is null ? default : residual.AsSpan(start, end - start), residual is not null, relu);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(Span<float> output, ReadOnlySpan<float> residual, bool add, bool relu)
    {
        ref float o = ref MemoryMarshal.GetReference(output);
        ref float r = ref MemoryMarshal.GetReference(residual);
        int n = output.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            int w = Vector512<float>.Count;
            for (; i <= n - w; i += w)
            {
                var v = Vector512.LoadUnsafe(ref o, (nuint)i);
                if (add) v += Vector512.LoadUnsafe(ref r, (nuint)i);
                // Vector512.Max carries NaN through and orders -0 below +0, as Math.Max and the relu op's kernel do.
                if (relu) v = Vector512.Max(v, Vector512<float>.Zero);
                v.StoreUnsafe(ref o, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<float>.Count;
            for (; i <= n - w; i += w)
            {
                var v = Vector256.LoadUnsafe(ref o, (nuint)i);
                if (add) v += Vector256.LoadUnsafe(ref r, (nuint)i);
                if (relu) v = Vector256.Max(v, Vector256<float>.Zero);
                v.StoreUnsafe(ref o, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref o, i);
            if (add) v += Unsafe.Add(ref r, i);
            if (relu) v = Math.Max(v, 0f);
            Unsafe.Add(ref o, i) = v;
        }
    }
}
