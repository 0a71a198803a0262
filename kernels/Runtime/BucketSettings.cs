namespace Graphport.Kernels.Runtime;

/// <summary>
/// How a bucket is built from CudaBackendOptions: TF32 for convolution GEMMs and for matrix products (separately,
/// as PyTorch separates them), how many cuBLASLt heuristic candidates to time on <see cref="Device"/>'s
/// <see cref="Stream"/> (no device: the heuristic's first, untimed), and whether generated kernels may index in
/// 32 bits.
/// </summary>
internal sealed record BucketSettings(bool Tf32Convolutions, bool Tf32Matmuls, int Candidates, CudaDevice? Device = null, CudaStream? Stream = null)
{
    public bool NarrowIndices { get; init; } = true;
}
