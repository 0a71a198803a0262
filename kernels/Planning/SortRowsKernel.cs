using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>
/// <c>aten::sort</c> and <c>aten::topk</c> along any dim: each of <see cref="Rows"/> rows of <see cref="Length"/>
/// elements (<see cref="Input"/> over <see cref="Space"/>, the input's shape; a row's elements <see cref="Inner"/>
/// apart, the product of the sizes after the dim) sorted by value (NaN greatest; <see cref="Descending"/> for sort's
/// descending and topk's largest), equal values by position. kernels/Cuda/sort.cu: a bitonic sort in shared memory,
/// one block per <see cref="Chunk"/> of a row (the whole row when it is at most <see cref="FusionPlanner.MaxSortedRow"/>
/// long). The first <see cref="Keep"/> of each chunk go to <see cref="Values"/> and their positions to <see
/// cref="Positions"/>, element j of row r at <c>(r / OutInner) · OutRow · OutInner + (chunk start + j) · OutInner + r %
/// OutInner</c>: the outputs themselves for one chunk (OutRow = Keep, OutInner = Inner), else sorted runs that <see
/// cref="MergeSortedRunsKernel"/> passes merge (OutRow = Length, OutInner = 1).
/// </summary>
public sealed record SortRowsKernel(string Name, string Comment, IterationSpace Space, long Rows, long Length, long Keep, bool Descending, Expr Input,
    BufferRef Values, BufferRef Positions) : KernelStep(Name, Comment)
{
    /// <summary>Elements between a row's neighbours in the input: 1 along the last dim.</summary>
    public long Inner { get; init; } = 1;

    /// <summary>The elements a block sorts: the row, or a power-of-two chunk of a longer one.</summary>
    public long Chunk { get; init; } = Math.Min(Length, FusionPlanner.MaxSortedRow);

    public long OutRow { get; init; } = Keep;

    public long OutInner { get; init; } = 1;

    /// <summary>The padded chunk: the power of two at or above its length (two at least).</summary>
    public int Padded => (int)Math.Max(2, System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(Chunk, 1)));

    /// <summary>Chunks per row.</summary>
    public long Chunks => Chunk == 0 ? 0 : (Length + Chunk - 1) / Chunk;

    public override IEnumerable<BufferRef> Reads() => ExprWalker.Buffers(Input).Distinct();

    public override IEnumerable<BufferRef> Writes() => [Values, Positions];

    public override bool IsGenerated => true;
}
