using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>
/// <c>aten::sort</c> and <c>aten::topk</c> along the last dim: each of <see cref="Rows"/> rows of <see cref="Length"/>
/// elements (<see cref="Input"/> over <see cref="Space"/>, the input's shape, read at row · length + position) sorted
/// by value (NaN greatest; <see cref="Descending"/> for sort's descending and topk's largest), equal values by
/// position; the first <see cref="Keep"/> go to <see cref="Values"/> and their positions to <see cref="Positions"/>
/// ([rows, keep], contiguous). kernels/Cuda/sort.cu: a bitonic sort in shared memory, one block per row, so rows
/// up to <see cref="FusionPlanner.MaxSortedRow"/> long.
/// </summary>
public sealed record SortRowsKernel(string Name, string Comment, IterationSpace Space, long Rows, long Length, long Keep, bool Descending, Expr Input,
    BufferRef Values, BufferRef Positions) : KernelStep(Name, Comment)
{
    /// <summary>The padded row: the power of two at or above the length (two at least).</summary>
    public int Padded => (int)Math.Max(2, System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(Length, 1)));

    public override IEnumerable<BufferRef> Reads() => ExprWalker.Buffers(Input).Distinct();

    public override IEnumerable<BufferRef> Writes() => [Values, Positions];

    public override bool IsGenerated => true;
}
