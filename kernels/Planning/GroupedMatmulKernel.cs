using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>
/// A mixture of experts' grouped product (<c>transformers::grouped_mm_fallback</c>, <c>graphport::split_mm_cat</c>, and <c>aten::_grouped_mm</c> of a
/// 2-D by a 3-D operand): row i of <see cref="A"/> (over <see cref="ASpace"/>, [rows, k]) belongs to group g, the
/// number of <see cref="Ends"/> (over <see cref="EndsSpace"/>, [groups]: the cumulative ends of the groups' rows) at
/// or below i, and Output[i, j] = Σ_k A(i, k) · <see cref="B"/>(g, k, j) over <see cref="BSpace"/> ([groups, k, n]);
/// rows past the last end are zero. Summed in float (double for float64) into <see cref="Output"/> ([rows, n],
/// contiguous) by kernels/Cuda/grouped_matmul.cu; the operands are expressions, so a cheap prologue (a gather of the
/// sorted tokens, a gate's product) is computed as the tiles are staged.
/// </summary>
public sealed record GroupedMatmulKernel(string Name, string Comment, IterationSpace ASpace, IterationSpace BSpace, IterationSpace EndsSpace,
    Expr A, Expr B, Expr Ends, BufferRef Output) : KernelStep(Name, Comment)
{
    /// <summary>
    /// For graphport::split_mm_cat, the numbers of the <see cref="SplitCountsSite"/>s under which a negative count and
    /// a total other than <see cref="Rows"/> are recorded: the ends must cover the rows exactly. Null for the other
    /// grouped products, whose rows past the last end are zero.
    /// </summary>
    public (int NegativeCount, int Total)? SplitChecks { get; init; }

    public long Rows => ASpace.Shape[0];

    public long K => ASpace.Shape[1];

    public long Groups => BSpace.Shape[0];

    public long N => BSpace.Shape[2];

    public override IEnumerable<BufferRef> Reads() => ExprWalker.Buffers(A).Concat(ExprWalker.Buffers(B)).Concat(ExprWalker.Buffers(Ends)).Distinct();

    public override IEnumerable<BufferRef> Writes() => [Output];

    public override bool IsGenerated => true;
}
