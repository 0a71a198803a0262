using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>
/// A matrix product of integer tensors (<c>aten::mm</c>/<c>bmm</c> with int32 or int64 results: what
/// <c>aten::_int_mm</c> and ONNX's MatMulInteger, QLinearMatMul and ConvInteger become), which cuBLASLt's float
/// paths cannot take. Output[b, i, j] = Σ_k <see cref="A"/>(b, i, k) · <see cref="B"/>(b, k, j), summed with the
/// wrap-around of the output's width, into <see cref="Output"/> ([batch, m, n], contiguous). The operands are
/// expressions over <see cref="ASpace"/> ([batch, m, k]) and <see cref="BSpace"/> ([batch, k, n]), so a cheap
/// pointwise prologue (a quantization's scale, round, clamp and cast) is computed as the kernel stages its tiles
/// instead of in a kernel of its own.
/// </summary>
public sealed record IntegerMatmulKernel(string Name, string Comment, IterationSpace ASpace, IterationSpace BSpace, Expr A, Expr B, BufferRef Output)
    : KernelStep(Name, Comment)
{
    public long Batch => ASpace.Shape[0];

    public long M => ASpace.Shape[1];

    public long K => ASpace.Shape[2];

    public long N => BSpace.Shape[2];

    public override IEnumerable<BufferRef> Reads() => ExprWalker.Buffers(A).Concat(ExprWalker.Buffers(B)).Distinct();

    public override IEnumerable<BufferRef> Writes() => [Output];

    public override bool IsGenerated => true;
}
