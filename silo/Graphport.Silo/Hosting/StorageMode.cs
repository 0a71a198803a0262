namespace Graphport.Silo;

/// <summary>Where grain state and blobs live.</summary>
public enum StorageMode
{
    /// <summary>Files under the data directory: survives restarts, no server.</summary>
    LocalFolder,

    /// <summary>Azure Blob storage (Azurite locally): grain state through Orleans' provider, blobs in their own container.</summary>
    AzureBlob,
}
