namespace Graphport.Grains;

/// <summary>The catalog's persisted state: every program name ever stored.</summary>
[GenerateSerializer, Alias("Graphport.CatalogState")]
public sealed class CatalogState
{
    [Id(0)]
    public List<string> Names { get; set; } = [];
}
