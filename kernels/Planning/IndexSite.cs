namespace Graphport.Kernels.Planning;

/// <summary>
/// Where a kernel reads an index out of a tensor the program takes or computes (embedding ids, gather and scatter
/// indices, <c>x[idx]</c>): the op, its node, the dim it indexes and that dim's size. The generated CUDA C checks
/// each such index against the size (kernels/Cuda/prelude.cu, gp_checked_index); one out of range is recorded by its
/// site's number in <see cref="FusedProgram.FaultSites"/>, and the run then fails with <see cref="Describe"/>'s
/// message instead of reading or writing outside a buffer.
/// </summary>
/// <param name="WrapNegative">Negative values count from the end (torch's <c>x[idx]</c>, index_put), so the valid
/// range is [-Size, Size); otherwise [0, Size).</param>
public sealed record IndexSite(string Op, string Node, int Dim, long Size, bool WrapNegative) : FaultSite(Op, Node)
{
    public override string Describe(long value)
    {
        string expected = WrapNegative ? $"{-Size} <= index < {Size}" : $"0 <= index < {Size}";
        string what = Op == "aten::embedding" ? $"an embedding table of {Size} rows" : $"dim {Dim} of size {Size}";
        return $"{Op} (node '{Node}'): index {value} is out of range for {what}; expected {expected}. The device checked it "
            + "before reading or writing there, and the call's results were discarded: correct the input the index comes from "
            + (Op == "aten::embedding" ? "(token ids within the vocabulary)." : "(or the computation that produced it).");
    }
}
