using Microsoft.Extensions.Logging;

namespace Graphport.Silo;

/// <summary>
/// Everything a Graphport silo needs to start: cluster identity, clustering, ports, storage, metadata. Bound from
/// the "Graphport" configuration section by the runnable silo (--Graphport:Clustering=AzureTable ...); silo
/// metadata comes from "Orleans:Metadata" (--Orleans:Metadata:gpu=true).
/// </summary>
public sealed class GraphportSiloOptions
{
    public const string Section = "Graphport";

    public string ClusterId { get; set; } = "graphport";

    public string ServiceId { get; set; } = "graphport";

    public string? SiloName { get; set; }

    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    public StorageMode Storage { get; set; } = StorageMode.LocalFolder;

    /// <summary>Azure Storage connection string for AzureTable clustering and AzureBlob storage ("UseDevelopmentStorage=true" for Azurite's defaults).</summary>
    public string? AzureConnectionString { get; set; }

    /// <summary>For LocalFolder storage: state under DATA/state, blobs under DATA/blobs.</summary>
    public string DataDirectory { get; set; } = GraphportHome.Resolve();

    /// <summary>The address silos listen on and advertise; loopback unless the cluster spans machines.</summary>
    public string Address { get; set; } = "127.0.0.1";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Silo metadata: gpu ("true"/"false"), device (name), gpu_memory (bytes).</summary>
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Exports and zoo batches run for minutes on a CPU; Orleans' 30 s default would cut them off.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>Dynamic batching of executor calls (Graphport:Batching:MaxBatchSize, :MaxQueueDelay); off by default.</summary>
    public Grains.BatchingOptions Batching { get; set; } = new();

    /// <summary>Checks the combination; throws ArgumentException naming the option to fix.</summary>
    public void Validate()
    {
        bool needsAzure = Clustering == ClusteringMode.AzureTable || Storage == StorageMode.AzureBlob;
        if (needsAzure && string.IsNullOrWhiteSpace(AzureConnectionString))
            throw new ArgumentException($"{nameof(AzureConnectionString)} is required for {Clustering} clustering and {Storage} storage; use \"UseDevelopmentStorage=true\" for a local Azurite.");
        if (Storage == StorageMode.LocalFolder && string.IsNullOrWhiteSpace(DataDirectory))
            throw new ArgumentException($"{nameof(DataDirectory)} is required for local-folder storage.");
        if (SiloPort is < 0 or > 65535) throw new ArgumentException($"{nameof(SiloPort)} must be 0-65535, got {SiloPort}.");
        if (GatewayPort is < 0 or > 65535) throw new ArgumentException($"{nameof(GatewayPort)} must be 0-65535, got {GatewayPort}.");
        if (!System.Net.IPAddress.TryParse(Address, out _)) throw new ArgumentException($"{nameof(Address)} '{Address}' is not an IP address.");
        ArgumentNullException.ThrowIfNull(Batching);
        Batching.Validate();
        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId)) throw new ArgumentException("ClusterId and ServiceId must not be empty.");
    }
}
