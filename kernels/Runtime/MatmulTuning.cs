namespace Graphport.Kernels.Runtime;

/// <summary>
/// How a bucket's cuBLASLt products are set up: TF32 for convolution GEMMs and for matrix products (separately,
/// as PyTorch separates them), and how many heuristic candidates to time on <see cref="Device"/>'s
/// <see cref="Stream"/> (no device: the heuristic's first, untimed).
/// </summary>
internal sealed record MatmulTuning(bool Tf32Convolutions, bool Tf32Matmuls, int Candidates, CudaDevice? Device = null, CudaStream? Stream = null);
