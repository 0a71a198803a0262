using System.Numerics;

namespace Graphport.Cpu;

public static partial class Gemm
{
    /// <summary>
    /// bmm: for each batch index t, C_t = alpha·op(A_t)·op(B_t) + beta·C_t where A_t starts at a[t*strideA] (likewise B, C).
    /// A batch stride of 0 broadcasts that operand across the batch; C's batches must not overlap.
    /// </summary>
    public static void Batched<T>(bool transA, bool transB, int batch, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, long strideA, int lda, ReadOnlySpan<T> b, long strideB, int ldb,
        T beta, Span<T> c, long strideC, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string kernel = "Gemm.Batched";
        Pointwise.RequireFloating<T>(kernel);
        if (batch < 0)
            throw new ArgumentException($"{kernel}: batch = {batch}; expected batch >= 0", nameof(batch));
        if (strideA < 0 || strideB < 0 || strideC < 0)
            throw new ArgumentException($"{kernel}: batch strides ({strideA}, {strideB}, {strideC}) include a negative value; expected strides >= 0", strideA < 0 ? nameof(strideA) : strideB < 0 ? nameof(strideB) : nameof(strideC));
        if (batch == 0) return;
        long last = batch - 1;
        Validate(transA, transB, m, n, k, a.Length - last * strideA, lda, b.Length - last * strideB, ldb, c.Length - last * strideC, ldc, kernel);
        long cExtent = m == 0 || n == 0 ? 0 : (long)(m - 1) * ldc + n;
        if (batch > 1 && strideC < cExtent)
            throw new ArgumentException($"{kernel}: strideC = {strideC} makes the {batch} output matrices overlap (each spans {cExtent} elements); expected strideC >= {cExtent}", nameof(strideC));
        double flops = 2.0 * m * n * k;
        unsafe
        {
            fixed (T* pa = a)
            fixed (T* pb = b)
            fixed (T* pc = c)
            {
                nint aa = (nint)pa, ba = (nint)pb, ca = (nint)pc;
                // Many small matrices: one matrix per task; few large ones: let each GEMM split itself.
                if (flops < 4e6 && batch > 1)
                {
                    CpuParallel.ForFlops(batch, flops, (t0, t1) =>
                    {
                        for (long t = t0; t < t1; t++)
                            Core(transA, transB, m, n, k, alpha, (T*)aa + t * strideA, lda, (T*)ba + t * strideB, ldb, beta, (T*)ca + t * strideC, ldc, allowParallel: false);
                    });
                }
                else
                {
                    for (long t = 0; t < batch; t++)
                        Core(transA, transB, m, n, k, alpha, pa + t * strideA, lda, pb + t * strideB, ldb, beta, pc + t * strideC, ldc, allowParallel: true);
                }
            }
        }
    }
}
