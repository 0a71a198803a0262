namespace Graphport.Grains;

/// <summary>The name of the grain storage provider every Graphport grain persists its state to.</summary>
public static class GraphportStorage
{
    public const string ProviderName = "graphport";
}
