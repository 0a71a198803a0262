namespace Graphport.Silo;

/// <summary>Where the local-folder grain storage keeps its files.</summary>
public sealed class LocalFolderGrainStorageOptions
{
    /// <summary>The folder holding one file per grain state; created on first write.</summary>
    public string RootDirectory { get; set; } = "";

    /// <summary>How long a write waits for another process's lock on the same state before giving up.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
