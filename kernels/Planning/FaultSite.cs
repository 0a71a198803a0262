namespace Graphport.Kernels.Planning;

/// <summary>
/// A check a generated kernel makes on the data it reads (an index within its size, a split's counts that cover the
/// rows): one that fails is recorded by the site's number in <see cref="FusedProgram.FaultSites"/> with the value
/// it read (kernels/Cuda/prelude.cu, gp_record_fault), and the run then fails with <see cref="Describe"/>'s message
/// (<see cref="DataFaultException"/>) instead of reading or writing outside a buffer or returning a wrong result.
/// </summary>
/// <param name="Op">The op that made the check.</param>
/// <param name="Node">Its node in the program.</param>
public abstract record FaultSite(string Op, string Node)
{
    /// <summary>What a user is told when <paramref name="value"/> was read here.</summary>
    public abstract string Describe(long value);
}
