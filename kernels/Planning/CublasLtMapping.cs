using Graphport.Kernels.Interop.CublasLt;

namespace Graphport.Kernels.Planning;

/// <summary>One cuBLASLt matrix layout: a column-major rows x cols matrix with leading dimension and batch stride.</summary>
public sealed record CublasLtLayout(long Offset, long Rows, long Cols, long LeadingDimension, long BatchStride);

/// <summary>The column-major call that computes a <see cref="MatmulProblem"/>: D' = op(A')·op(B') (+ C', bias, activation).</summary>
public sealed record CublasLtArguments(CublasOperation TransA, CublasOperation TransB, long M, long N, long K, long Batch,
    CublasLtLayout A, CublasLtLayout B, CublasLtLayout D, CublasLtLayout? C, CublasLtEpilogue Epilogue);

/// <summary>
/// cuBLASLt is column-major; the planner's problems are row-major. A row-major M x N result is the same memory as
/// its column-major transpose, so D = A·B is computed as Dᵀ = Bᵀ·Aᵀ: cuBLAS's A is our B and its B is our A, and
/// each operand is passed transposed or not depending on which of its strides is 1. The bias (length N) then runs
/// along the rows of Dᵀ, which is what the BIAS epilogue requires.
/// </summary>
public static class CublasLtMapping
{
    public static CublasLtArguments Map(MatmulProblem p)
    {
        var (transA, a) = Operand(p.B);
        var (transB, b) = Operand(p.A);
        if (p.D.ColStride != 1 && p.N > 1) throw new ArgumentException("The result of a matrix product must be row-major.", nameof(p));
        var d = new CublasLtLayout(p.D.Offset, p.N, p.M, Math.Max(p.D.RowStride, Math.Max(p.N, 1)), p.D.BatchStride);
        CublasLtLayout? c = p.C is { } cm ? new CublasLtLayout(cm.Offset, p.N, p.M, Math.Max(cm.RowStride, Math.Max(p.N, 1)), cm.BatchStride) : null;
        var epilogue = (p.Bias is not null, p.Activation) switch
        {
            (true, MatmulActivation.Relu) => CublasLtEpilogue.ReluBias,
            (true, MatmulActivation.GeluTanh) => CublasLtEpilogue.GeluBias,
            (true, _) => CublasLtEpilogue.Bias,
            (false, MatmulActivation.Relu) => CublasLtEpilogue.Relu,
            (false, MatmulActivation.GeluTanh) => CublasLtEpilogue.Gelu,
            _ => CublasLtEpilogue.Default,
        };
        return new CublasLtArguments(transA, transB, p.N, p.M, p.K, p.Batch, a, b, d, c, epilogue);
    }

    // A row-major-described operand as cuBLAS sees it: row-major (unit column stride) is a transposed
    // column-major matrix, so it goes in untransposed with ld = row stride; column-major goes in transposed.
    private static (CublasOperation, CublasLtLayout) Operand(MatrixOperand x)
    {
        if (x.ColStride == 1 || x.Cols == 1)
            return (CublasOperation.N, new CublasLtLayout(x.Offset, x.Cols, x.Rows, Math.Max(x.RowStride, Math.Max(x.Cols, 1)), x.BatchStride));
        return (CublasOperation.T, new CublasLtLayout(x.Offset, x.Rows, x.Cols, Math.Max(x.ColStride, Math.Max(x.Rows, 1)), x.BatchStride));
    }

    /// <summary>
    /// What cuBLASLt computes for these arguments, by its column-major definition (before bias and activation);
    /// the tests check this against the row-major problem so the mapping is verified without a GPU.
    /// </summary>
    public static double[] EvaluateColumnMajor(CublasLtArguments args, Func<long, double> loadA, Func<long, double> loadB)
    {
        var result = new double[args.Batch * args.M * args.N];
        for (long batch = 0; batch < args.Batch; batch++)
            for (long j = 0; j < args.N; j++)
                for (long i = 0; i < args.M; i++)
                {
                    double sum = 0;
                    for (long k = 0; k < args.K; k++)
                    {
                        long ai = args.A.Offset + batch * args.A.BatchStride + (args.TransA == CublasOperation.N ? i + k * args.A.LeadingDimension : k + i * args.A.LeadingDimension);
                        long bi = args.B.Offset + batch * args.B.BatchStride + (args.TransB == CublasOperation.N ? k + j * args.B.LeadingDimension : j + k * args.B.LeadingDimension);
                        sum += loadA(ai) * loadB(bi);
                    }
                    result[batch * args.M * args.N + j * args.M + i] = sum;
                }
        return result;
    }
}
