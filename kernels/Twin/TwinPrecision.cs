using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Twin;

/// <summary>
/// Which matrix products the CPU twin computes as the device's TF32 tensor cores would: the A and B operands
/// rounded to TF32 (float32's 8-bit exponent, 10 explicit mantissa bits), accumulation still in float32. The flags
/// mirror <see cref="Backends.CudaBackendOptions.AllowTf32Convolutions"/> and
/// <see cref="Backends.CudaBackendOptions.AllowTf32Matmuls"/>: with the same settings the twin predicts the
/// accuracy the GPU gives, which exact float32 products cannot (PP-OCRv4 recognition differed from the interpreter
/// by 6.2e-3 on an H200 with TF32 convolutions; a twin with its convolution operands rounded so, by 7.8e-3). Not bit-exact: cuBLASLt's kernels sum in their own order, and
/// not every kernel rounds its operands the same way (some round, some truncate); the size of the error is what
/// this reproduces.
/// </summary>
public sealed record TwinPrecision(bool Tf32Convolutions = false, bool Tf32Matmuls = false)
{
    /// <summary>Every product in exact float32/float64, as the twin always did.</summary>
    public static TwinPrecision Exact { get; } = new();

    /// <summary>What the CUDA backend does by default: convolution GEMMs on TF32, other products in float32.</summary>
    public static TwinPrecision CudaDefault { get; } = new(Tf32Convolutions: true);

    /// <summary>Whether the device runs this product on TF32 with these switches (<see cref="MatmulProblem.OnTf32"/>).</summary>
    public bool RoundsToTf32(MatmulProblem problem) => problem.OnTf32(Tf32Convolutions, Tf32Matmuls);

    /// <summary>
    /// <paramref name="value"/> rounded to the nearest TF32 number, ties to even, kept in a float: the low 13 of
    /// float32's 23 mantissa bits cleared. Infinities and NaN come back unchanged (clearing a NaN's low bits could
    /// make it an infinity). A finite value that would round past the largest finite TF32 number, (2 - 2^-10)·2^127,
    /// saturates to it instead of becoming infinity: tensor cores that truncate never turn a finite operand into an
    /// infinity, and an infinity that only the twin makes would turn a product into inf/NaN and a plausible
    /// prediction into a false alarm.
    /// </summary>
    public static float RoundToTf32(float value)
    {
        const uint exponentMask = 0x7F80_0000, signMask = 0x8000_0000, dropped = 0x1FFF, largestFinite = 0x7F7F_E000;
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & exponentMask) == exponentMask) return value;
        // Adding just under half of the dropped unit, plus the kept last bit, carries exactly when the dropped bits
        // are over half, or half with an odd kept bit; a carry out of the mantissa raises the exponent, as it should.
        uint rounded = (bits + (dropped >> 1) + ((bits >> 13) & 1)) & ~dropped;
        if ((rounded & exponentMask) == exponentMask) rounded = (bits & signMask) | largestFinite;
        return BitConverter.UInt32BitsToSingle(rounded);
    }
}
