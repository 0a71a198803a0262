using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>
/// One merge pass of a sort or topk whose rows are longer than a block sorts (<see cref="SortRowsKernel"/>): each of
/// <see cref="Rows"/> rows in <see cref="Keys"/>/<see cref="KeyPositions"/> ([rows, length], contiguous) holds sorted
/// runs <see cref="Width"/> apart, each with its first min(width, rest of the row, <see cref="Keep"/>) elements valid;
/// runs 2q and 2q + 1 merge into one, each element's place its place in its run plus the number of the partner run's
/// elements that sort before it (kernels/Cuda/sort.cu, merge_sorted_runs). Places at or past Keep are dropped. The
/// merged runs go to <see cref="Values"/>/<see cref="Positions"/> as <see cref="SortRowsKernel"/> places its output
/// (<see cref="OutRow"/>, <see cref="OutInner"/>): the next pass's runs, or the outputs after the last pass
/// (<see cref="IsLast"/>: twice the width covers the row).
/// </summary>
public sealed record MergeSortedRunsKernel(string Name, string Comment, long Rows, long Length, long Width, long Keep, bool Descending,
    BufferRef Keys, BufferRef KeyPositions, BufferRef Values, BufferRef Positions, long OutRow, long OutInner) : KernelStep(Name, Comment)
{
    public bool IsLast => Width * 2 >= Length;

    public override IEnumerable<BufferRef> Reads() => [Keys, KeyPositions];

    public override IEnumerable<BufferRef> Writes() => [Values, Positions];

    public override bool IsGenerated => true;
}
