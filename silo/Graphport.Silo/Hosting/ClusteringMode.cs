namespace Graphport.Silo;

/// <summary>How silos find each other.</summary>
public enum ClusteringMode
{
    /// <summary>One process (or a fixed primary silo) on this machine; no server needed.</summary>
    Localhost,

    /// <summary>A membership table in Azure Table storage (Azurite locally): several silo processes, clients anywhere.</summary>
    AzureTable,
}
