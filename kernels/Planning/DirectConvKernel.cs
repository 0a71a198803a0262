using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>
/// A convolution with few output channels computed directly: one thread per output pixel (<see cref="Pixels"/>:
/// image, row, column) keeps every output channel's sum in registers while it walks <see cref="Taps"/> (input
/// channel, kernel row, kernel column), loading each input value once (<see cref="Input"/>, zero outside the
/// image, the input's pointwise prologue inlined) and multiplying it by that tap's weights from shared memory.
/// Where im2col would write Cin·kh·kw columns per pixel for a GEMM of a handful of rows (a U-Net's 16- and
/// 32-channel 3x3 layers at 64x64), this reads the input about once. The weight is [Cout, Taps] contiguous; the
/// result is [N, Cout, OH·OW] contiguous, with the bias (length Cout) added when there is one.
/// </summary>
public sealed record DirectConvKernel(string Name, string Comment, IterationSpace Pixels, IterationSpace Taps, Expr Input,
    BufferRef Weight, long WeightOffset, long Cout, BufferRef? Bias, long BiasOffset, BufferRef Output) : KernelStep(Name, Comment)
{
    /// <summary>ReLU applied to each sum (after the bias) as it is stored: the convolution's only consumer was a ReLU.</summary>
    public bool Relu { get; init; }

    /// <summary>
    /// Scheduled for half the warps (CudaRenderer.DirectConvSchedule): more pixels per thread, so each tap's index
    /// math and weight loads serve more multiply-adds, at the cost of occupancy. Which is faster depends on the
    /// convolution and the device; the CUDA backend's autotuner times both.
    /// </summary>
    public bool Wide { get; init; }

    /// <summary>Output pixels of one image (OH·OW): pixel p is image p / ImagePixels, position p % ImagePixels.</summary>
    public long ImagePixels => Pixels.Shape[1] * Pixels.Shape[2];

    public override IEnumerable<BufferRef> Reads()
    {
        var reads = ExprWalker.Buffers(Input).Append(Weight);
        return (Bias is { } bias ? reads.Append(bias) : reads).Distinct();
    }

    public override IEnumerable<BufferRef> Writes() => [Output];

    public override bool IsGenerated => true;
}
