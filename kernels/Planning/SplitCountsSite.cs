namespace Graphport.Kernels.Planning;

/// <summary>
/// Where a grouped product reads the cumulative ends of a split by counts from the data (graphport::split_mm_cat, an
/// expert loop's split): each group's count must be at least 0 and, when <see cref="Total"/>, the counts must add up
/// to the <see cref="Rows"/> they split, as torch's split_with_sizes requires. The value recorded is the count that
/// was negative, or the total.
/// </summary>
public sealed record SplitCountsSite(string Op, string Node, long Rows, bool Total) : FaultSite(Op, Node)
{
    public override string Describe(long value) => (Total
            ? $"{Op} (node '{Node}'): the row counts read from the data add up to {value}, but the split input has {Rows} rows; a split's sizes must add up to the size they split."
            : $"{Op} (node '{Node}'): a row count read from the data is {value}; a split's sizes must be non-negative.")
        + " The device checked the counts before using them, and the call's results were discarded: correct the input the counts come from (or the computation that produced them).";
}
