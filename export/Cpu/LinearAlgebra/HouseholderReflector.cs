namespace Graphport.Cpu;

/// <summary>
/// Elementary reflectors H = I − τ·v·vᵀ with v[0] = 1, chosen and applied as LAPACK's QR, tridiagonal and bidiagonal
/// reductions choose them, so that the factors built from them agree with LAPACK's (and so torch's) up to rounding.
/// </summary>
internal static class HouseholderReflector
{
    // Smallest normal number over the unit roundoff (2^-969): a β below it is scaled up before 1/(α − β) is taken,
    // which could otherwise overflow.
    private static readonly double SafeMinimum = Math.ScaleB(1, -969);
    private static readonly double SafeMinimumInverse = Math.ScaleB(1, 969);

    /// <summary>
    /// Chooses H with H·[α; x] = [β; 0] and β = −sign(α)·‖[α; x]‖, where x is <paramref name="count"/> elements
    /// <paramref name="stride"/> apart. Overwrites α with β and x with v[1..], and returns τ. When x is already zero
    /// H is the identity (τ = 0) and α is left as it is, negative or not.
    /// </summary>
    public static double Generate(ref double alpha, Span<double> x, int stride, int count)
    {
        if (count <= 0) return 0;
        double xNorm = VectorKernels.Norm2(x, stride, count);
        if (xNorm == 0) return 0;
        double beta = -Math.CopySign(double.Hypot(alpha, xNorm), alpha);
        int rescalings = 0;
        while (Math.Abs(beta) < SafeMinimum && rescalings < 20)
        {
            rescalings++;
            for (int i = 0; i < count; i++) x[i * stride] *= SafeMinimumInverse;
            beta *= SafeMinimumInverse;
            alpha *= SafeMinimumInverse;
        }
        if (rescalings > 0)
        {
            xNorm = VectorKernels.Norm2(x, stride, count);
            beta = -Math.CopySign(double.Hypot(alpha, xNorm), alpha);
        }
        double tau = (beta - alpha) / beta;
        double scale = 1 / (alpha - beta);
        for (int i = 0; i < count; i++) x[i * stride] *= scale;
        for (int r = 0; r < rescalings; r++) beta *= SafeMinimum;
        alpha = beta;
        return tau;
    }

    /// <summary>
    /// block ← H·block for a <paramref name="rows"/>×<paramref name="cols"/> block whose rows start
    /// <paramref name="rowStride"/> apart; v has length rows with v[0] = 1. <paramref name="work"/> holds cols doubles.
    /// </summary>
    public static void ApplyFromLeft(Span<double> block, int rowStride, int rows, int cols, ReadOnlySpan<double> v, double tau, Span<double> work)
    {
        if (tau == 0 || cols == 0) return;
        // Row by row, so both passes run along contiguous memory: w = vᵀ·block, then block −= τ·v·w.
        var w = work[..cols];
        w.Clear();
        for (int i = 0; i < rows; i++) VectorKernels.Axpy(v[i], block.Slice(i * rowStride, cols), w);
        for (int i = 0; i < rows; i++) VectorKernels.Axpy(-tau * v[i], w, block.Slice(i * rowStride, cols));
    }

    /// <summary>block ← block·H for a rows×cols block whose rows start rowStride apart; v has length cols, v[0] = 1.</summary>
    public static void ApplyFromRight(Span<double> block, int rowStride, int rows, int cols, ReadOnlySpan<double> v, double tau)
    {
        if (tau == 0 || cols == 0) return;
        var reflector = v[..cols];
        for (int i = 0; i < rows; i++)
        {
            var row = block.Slice(i * rowStride, cols);
            VectorKernels.Axpy(-tau * VectorKernels.Dot(row, reflector), reflector, row);
        }
    }

    /// <summary>Copies v = [1; x] out of a strided column into contiguous <paramref name="v"/> (length count + 1).</summary>
    public static void Gather(ReadOnlySpan<double> x, int stride, int count, Span<double> v)
    {
        v[0] = 1;
        for (int i = 0; i < count; i++) v[i + 1] = x[i * stride];
    }
}
