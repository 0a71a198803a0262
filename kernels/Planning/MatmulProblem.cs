using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>A strided (batched) matrix in a buffer: element (b, r, c) is at Offset + b·BatchStride + r·RowStride + c·ColStride.</summary>
public sealed record MatrixOperand(BufferRef Buffer, long Offset, long Rows, long Cols, long RowStride, long ColStride, long BatchStride)
{
    public long Index(long batch, long row, long col) => Offset + batch * BatchStride + row * RowStride + col * ColStride;
}

/// <summary>What the matrix product applies after multiplying (the cuBLASLt epilogues the planner fuses).</summary>
public enum MatmulActivation
{
    None,
    Relu,
    GeluTanh,
}

/// <summary>A bias vector added to every row of the result (length N).</summary>
public sealed record BiasOperand(BufferRef Buffer, long Offset, long Stride);

/// <summary>
/// Row-major D[b] = act(Alpha · A[b]·B[b] + Beta · C[b] + bias) with A: M×K, B: K×N, D: M×N, in the planner's
/// terms. <see cref="CublasLtMapping"/> turns it into cuBLASLt's column-major arguments; the CPU twin computes it
/// directly from these strides, so a wrong stride shows up on the CPU. <paramref name="Convolution"/> marks the
/// GEMM of a lowered convolution, which may run on TF32 tensor cores where matrix products may not (as PyTorch
/// separates cudnn.allow_tf32 from matmul.allow_tf32).
/// </summary>
public sealed record MatmulProblem(long Batch, long M, long N, long K, MatrixOperand A, MatrixOperand B, MatrixOperand D,
    BiasOperand? Bias, MatmulActivation Activation, double Alpha = 1, double Beta = 0, MatrixOperand? C = null, bool Convolution = false)
{
    public DType DType => D.Buffer.DType;

    /// <summary>
    /// Whether this product runs on TF32 tensor cores under the two switches (CudaBackendOptions'
    /// AllowTf32Convolutions and AllowTf32Matmuls): float32 products only, a convolution's GEMM by the first, any
    /// other by the second. cuBLASLt's compute type and the CPU twin's TF32 rounding both follow it.
    /// </summary>
    public bool OnTf32(bool tf32Convolutions, bool tf32Matmuls) => DType == DType.Float32 && (Convolution ? tf32Convolutions : tf32Matmuls);
}
