namespace Graphport.Kernels.Planning;

/// <summary>
/// A kernel read an index out of a tensor that was out of range for the size it indexes (<see cref="IndexSite"/>):
/// the input's fault, an <see cref="IndexValueException"/> as the CPU kernels' is, and the call's results are discarded.
/// </summary>
public sealed class IndexFaultException(IndexSite site, long value) : IndexValueException(site.Describe(value))
{
    public IndexSite Site { get; } = site;

    /// <summary>The index as it was read (before a negative one counted from the end).</summary>
    public long Value { get; } = value;

    /// <summary>
    /// Throws for what a run left in its fault record (kernels/Cuda/prelude.cu, gp_index_faults): the site's number
    /// plus one (0: nothing went wrong) and the value read there.
    /// </summary>
    public static void ThrowIfRecorded(FusedProgram plan, ulong site, ulong value)
    {
        if (site == 0) return;
        ulong number = site - 1;
        if (number >= (ulong)plan.IndexSites.Count)
            throw new InvalidOperationException($"A kernel recorded an index fault at site {number}, but the plan checks {plan.IndexSites.Count} sites: the module was not compiled from this plan.");
        throw new IndexFaultException(plan.IndexSites[(int)number], unchecked((long)value));
    }
}
