namespace Graphport.Kernels.Planning;

/// <summary>
/// A kernel's check on the data failed (<see cref="FaultSite"/>: an index out of range for the size it indexes, a
/// split's counts that do not cover the rows): the input's fault, an <see cref="IndexValueException"/> as the CPU
/// kernels' is, and the call's results are discarded.
/// </summary>
public sealed class DataFaultException(FaultSite site, long value) : IndexValueException(site.Describe(value))
{
    public FaultSite Site { get; } = site;

    /// <summary>The value as it was read (an index before a negative one counted from the end).</summary>
    public long Value { get; } = value;

    /// <summary>
    /// Throws for what a run left in its fault record (kernels/Cuda/prelude.cu, gp_index_faults): the site's number
    /// plus one (0: nothing went wrong) and the value read there.
    /// </summary>
    public static void ThrowIfRecorded(FusedProgram plan, ulong site, ulong value)
    {
        if (site == 0) return;
        ulong number = site - 1;
        if (number >= (ulong)plan.FaultSites.Count)
            throw new InvalidOperationException($"A kernel recorded a data fault at site {number}, but the plan checks {plan.FaultSites.Count} sites: the module was not compiled from this plan.");
        throw new DataFaultException(plan.FaultSites[(int)number], unchecked((long)value));
    }
}
