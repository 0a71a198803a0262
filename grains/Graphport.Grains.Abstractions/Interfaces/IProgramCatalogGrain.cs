namespace Graphport.Grains;

/// <summary>The names of all stored programs (key: <see cref="GrainKeys.Catalog"/>); grains cannot be enumerated otherwise.</summary>
[Alias("Graphport.IProgramCatalogGrain")]
public interface IProgramCatalogGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task RegisterAsync(string name);

    [Alias("List")]
    Task<string[]> ListAsync();
}
