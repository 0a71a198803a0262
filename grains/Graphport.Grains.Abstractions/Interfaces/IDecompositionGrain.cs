namespace Graphport.Grains;

/// <summary>
/// Decomposes one version with one table (key: "name@version/table"; tables: "core", or "ops:aten::t,..." for
/// the listed ops only) and stores the result as a new version of the same program.
/// </summary>
[Alias("Graphport.IDecompositionGrain")]
public interface IDecompositionGrain : IGrainWithStringKey
{
    [Alias("Decompose")]
    Task<DecompositionResult> DecomposeAsync();
}
