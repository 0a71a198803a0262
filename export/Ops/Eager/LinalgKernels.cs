using System.Numerics;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>Eager matrix products over the blocked GEMM (integers in exact loops); strided operands are passed as transposes when possible.</summary>
internal static class LinalgKernels
{
    /// <summary>A matrix operand for row-major GEMM: its data from the offset, whether it is transposed, and its leading dim.</summary>
    private static (T[] Data, long Offset, bool Trans, int Ld) Matrix<T>(Tensor t) where T : unmanaged
    {
        var (data, layout) = Eager.As<T>(t);
        long rows = layout.Shape[^2], cols = layout.Shape[^1];
        long rs = layout.Strides[^2], cs = layout.Strides[^1];
        if (cs == 1 && (rs >= cols || rows <= 1)) return (data, layout.Offset, false, (int)Math.Max(rs, Math.Max(cols, 1)));
        if (rs == 1 && (cs >= rows || cols <= 1)) return (data, layout.Offset, true, (int)Math.Max(cs, Math.Max(rows, 1)));
        var dense = StridedCopy.ToContiguous(data, layout);
        return (dense, 0, false, (int)Math.Max(cols, 1));
    }

    private static void RequireNumber(string op, DType dtype)
    {
        if (dtype == DType.Bool)
            throw new NotSupportedException($"\"{op}\" not implemented for 'Bool'");
    }

    /// <summary>
    /// Integer products (torch supports them on the CPU): exact int64 arithmetic in plain loops, wrapped to the
    /// operands' dtype. Not a fast path; integer matmuls are for indices and tests, not models.
    /// </summary>
    private static Tensor IntegerProduct(Tensor a, Tensor b, Tensor? bias, long alpha, long beta, DType result)
    {
        bool batched = a.Ndim == 3;
        long batch = batched ? a.Sizes[0] : 1, m = a.Sizes[^2], k = a.Sizes[^1], n = b.Sizes[^1];
        var ad = Eager.Dense<long>(a);
        var bd = Eager.Dense<long>(b);
        var c = new long[batch * m * n];
        if (bias is not null && beta != 0)
        {
            var (biasData, biasLayout) = Eager.As<long>(bias);
            StridedCopy.Copy(biasData, biasLayout.BroadcastTo(m, n), c, StridedLayout.Contiguous(m, n));
            for (int i = 0; i < c.Length; i++) c[i] *= beta;
        }
        for (long t = 0; t < batch; t++)
            for (long i = 0; i < m; i++)
                for (long j = 0; j < n; j++)
                {
                    long sum = 0;
                    for (long p = 0; p < k; p++) sum += ad[(t * m + i) * k + p] * bd[(t * k + p) * n + j];
                    c[(t * m + i) * n + j] += alpha * sum;
                }
        return Eager.Wrap(c, batched ? [batch, m, n] : [m, n], result);
    }

    /// <param name="packed">op(B) packed beforehand (a frozen module's weight); <paramref name="b"/> is then not read.</param>
    private static Tensor MmTyped<T>(Tensor a, Tensor? b, Tensor? bias, T alpha, T beta, DType result, PackedB<T>? packed = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = (int)a.Sizes[0], k = (int)a.Sizes[1], n = packed?.N ?? (int)b!.Sizes[1];
        bool biased = bias is not null && beta != T.Zero;
        // Not zeroed: the bias fills it, or the product with beta = 0 writes every element (or clears it, for k = 0).
        var c = RunBuffers.Allocate<T>((long)m * n, clear: false);
        T betaEff = T.Zero;
        if (biased)
        {
            var (bd, bl) = Eager.As<T>(bias!);
            // A linear layer's bias is one contiguous row: copied into each row of C, without a broadcast plan.
            if (bl.IsContiguous && bl.Shape.Length > 0 && bl.Shape[^1] == n && bl.Numel == n)
                for (int i = 0; i < m; i++) bd.AsSpan((int)bl.Offset, n).CopyTo(c.AsSpan(i * n, n));
            else StridedCopy.Copy(bd, bl.BroadcastTo(m, n), c, StridedLayout.Contiguous(m, n));
            if (beta != T.One)
                for (int i = 0; i < c.Length; i++) c[i] *= beta;
            betaEff = T.One;
        }
        var (ad, ao, at, lda) = Matrix<T>(a);
        if (packed is not null)
        {
            if (m > 0 && n > 0) Gemm.ComputePacked(at, m, alpha, ad.AsSpan((int)ao), lda, packed, betaEff, c, Math.Max(n, 1));
            return Eager.Wrap(c, [m, n], result);
        }
        var (bdata, bo, bt, ldb) = Matrix<T>(b!);
        if (m > 0 && n > 0)
            Gemm.Compute(at, bt, m, n, k, alpha, ad.AsSpan((int)ao), lda, bdata.AsSpan((int)bo), ldb, betaEff, c, Math.Max(n, 1));
        return Eager.Wrap(c, [m, n], result);
    }

    /// <summary>A constant right operand of mm/addmm packed once (<see cref="Gemm.Pack{T}"/>); null unless a float32 or float64 matrix.</summary>
    internal static object? PackRightOperand(Tensor b)
    {
        if (b.Ndim != 2) return null;
        return b.DType switch
        {
            DType.Float32 => PackTyped<float>(b),
            DType.Float64 => PackTyped<double>(b),
            _ => null,
        };
    }

    private static PackedB<T> PackTyped<T>(Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (data, offset, trans, ld) = Matrix<T>(b);
        return Gemm.Pack(trans, (int)b.Sizes[0], (int)b.Sizes[1], data, (int)offset, ld);
    }

    /// <summary>
    /// mm(x, B) or addmm(bias, x, B, beta, alpha) on their bound arguments, with B packed by <see cref="PackRightOperand"/>;
    /// null when x is not a matrix of B's dtype and inner size, so the plain kernel runs and says what is wrong.
    /// </summary>
    internal static Tensor? ProductWithPacked(bool addmm, object?[] bound, object packed)
    {
        var x = Aten.Tn(bound, addmm ? 1 : 0);
        var bias = addmm ? Aten.T0(bound) : null;
        if (x.Ndim != 2) return null;
        return packed switch
        {
            PackedB<float> p when x.DType == DType.Float32 && x.Sizes[1] == p.K =>
                MmTyped(x, null, bias, addmm ? (float)Aten.D(bound[4]) : 1f, addmm ? (float)Aten.D(bound[3]) : 0f, x.DType, p),
            PackedB<double> p when x.DType == DType.Float64 && x.Sizes[1] == p.K =>
                MmTyped(x, null, bias, addmm ? Aten.D(bound[4]) : 1.0, addmm ? Aten.D(bound[3]) : 0.0, x.DType, p),
            _ => null,
        };
    }

    /// <summary>aten._int_mm: int8 matrices, int32 sums (Gemm.Int8; B's dense array is what it recognizes a weight by).</summary>
    public static Tensor IntMm(Tensor x, Tensor y)
    {
        int m = (int)x.Sizes[0], k = (int)x.Sizes[1], n = (int)y.Sizes[1];
        var c = new int[(long)m * n];
        Gemm.Int8(m, n, k, Eager.Dense<sbyte>(x), Eager.Dense<sbyte>(y), c);
        return Eager.Wrap(c, [m, n], DType.Int32);
    }

    public static readonly KernelFunction Mm = a =>
    {
        var (x, y) = (Aten.T0(a), Aten.Tn(a, 1));
        if (x.DType.IsComplex() || y.DType.IsComplex())
            return ComplexKernels.Product(x, y, DTypeInfo.Promote(x.DType, y.DType), (p, q) => Aten.Call(Aten.Mm, p, q));
        RequireNumber("mm", x.DType);
        if (!x.DType.IsFloatingPoint()) return IntegerProduct(x, y, null, 1, 0, x.DType);
        return x.DType == DType.Float64 ? MmTyped(x, y, null, 1.0, 0.0, x.DType) : MmTyped(x, y, null, 1f, 0f, x.DType);
    };

    public static readonly KernelFunction Addmm = a =>
    {
        var (bias, x, y) = (Aten.T0(a), Aten.Tn(a, 1), Aten.Tn(a, 2));
        RequireNumber("addmm", x.DType);
        if (!x.DType.IsFloatingPoint()) return IntegerProduct(x, y, bias, Aten.L(a[4]), Aten.L(a[3]), x.DType);
        return x.DType == DType.Float64
            ? MmTyped(x, y, bias, Aten.D(a[4]), Aten.D(a[3]), x.DType)
            : MmTyped(x, y, bias, (float)Aten.D(a[4]), (float)Aten.D(a[3]), x.DType);
    };

    private static Tensor BmmTyped<T>(Tensor a, Tensor b, DType result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = (int)a.Sizes[0], m = (int)a.Sizes[1], k = (int)a.Sizes[2], n = (int)b.Sizes[2];
        var (ad, ao, at, lda, sa) = BatchOfMatrices<T>(a);
        var (bd, bo, bt, ldb, sb) = BatchOfMatrices<T>(b);
        // Not zeroed: with beta = 0 the product writes every element of C (or clears it, for k = 0).
        var c = RunBuffers.Allocate<T>((long)batch * m * n, clear: false);
        Gemm.Batched(at, bt, batch, m, n, k, T.One, ad.AsSpan((int)ao), sa, lda, bd.AsSpan((int)bo), sb, ldb, T.Zero, c, (long)m * n, Math.Max(n, 1));
        return Eager.Wrap(c, [batch, m, n], result);
    }

    /// <summary>
    /// A [batch, rows, cols] operand of bmm as the batched GEMM reads it: the tensor's own storage where each matrix
    /// has unit stride along its rows or its columns (a transposed or head-split view: attention's Q, Kᵀ and V as
    /// exporters permute them), else a contiguous copy. Copying those views cost MiniLM three copies per layer, and
    /// on several cores they ran on one.
    /// </summary>
    private static (T[] Data, long Offset, bool Transposed, int Ld, long BatchStride) BatchOfMatrices<T>(Tensor t) where T : unmanaged
    {
        var (data, layout) = Eager.As<T>(t);
        long rows = layout.Shape[1], cols = layout.Shape[2];
        long batchStride = layout.Shape[0] == 1 ? rows * cols : layout.Strides[0];
        long rowStride = layout.Strides[1], colStride = layout.Strides[2];
        if (batchStride >= 0 && rows > 1 && cols > 1 && rowStride <= int.MaxValue && colStride <= int.MaxValue)
        {
            if (colStride == 1 && rowStride >= cols) return (data, layout.Offset, false, (int)rowStride, batchStride);
            if (rowStride == 1 && colStride >= rows) return (data, layout.Offset, true, (int)colStride, batchStride);
        }
        var dense = layout.IsContiguous && layout.Offset == 0 ? data : StridedCopy.ToContiguous(data, layout);
        return (dense, 0, false, (int)Math.Max(cols, 1), rows * cols);
    }

    public static readonly KernelFunction Bmm = a =>
    {
        var (x, y) = (Aten.T0(a), Aten.Tn(a, 1));
        if (x.DType.IsComplex() || y.DType.IsComplex())
            return ComplexKernels.Product(x, y, DTypeInfo.Promote(x.DType, y.DType), (p, q) => Aten.Call(Aten.Bmm, p, q));
        RequireNumber("bmm", x.DType);
        if (!x.DType.IsFloatingPoint()) return IntegerProduct(x, y, null, 1, 0, x.DType);
        return x.DType == DType.Float64 ? BmmTyped<double>(x, y, x.DType) : BmmTyped<float>(x, y, x.DType);
    };

    public static readonly KernelFunction Dot = a =>
    {
        var (x, y) = (Aten.T0(a), Aten.Tn(a, 1));
        var product = Aten.Call(Aten.Mul, x, y);
        // sum widens integers to int64; dot keeps the operands' dtype, as its meta says.
        var sum = Aten.Call(Aten.Sum, product);
        return sum.DType == x.DType ? sum : Aten.CallKw(Aten.ToCopy, [sum], ("dtype", x.DType));
    };
}
