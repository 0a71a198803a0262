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

    /// <summary>
    /// Run as a Kubernetes pod (deploy/k8s): the silo is named after POD_NAME, advertises POD_IP and listens on every
    /// interface (<see cref="Address"/> is not used), labels its pod with its cluster, and Orleans' Kubernetes agent
    /// declares dead, as the silo starts, any active silo whose pod no longer exists (instead of waiting for its missed
    /// membership probes), then watches the cluster's pods. Needs AzureTable clustering.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>
    /// With <see cref="Kubernetes"/>: the API server to talk to instead of the in-cluster one (the pod's service
    /// account); for a silo outside the cluster behind `kubectl proxy` (http://127.0.0.1:8001), and for tests.
    /// </summary>
    public string? KubernetesApiUrl { get; set; }

    /// <summary>
    /// The port of the silo's HTTP endpoints: the probes Kubernetes asks (<see cref="HealthEndpoints"/>: /healthz/live,
    /// /healthz/ready) and the metrics Prometheus scrapes (<see cref="MetricsEndpoint"/>: /metrics); 0, the default,
    /// opens no HTTP port.
    /// </summary>
    public int HttpPort { get; set; }

    /// <summary>Silo metadata: gpu ("true"/"false"), device (name), gpu_memory (bytes).</summary>
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Exports and zoo batches run for minutes on a CPU; Orleans' 30 s default would cut them off.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>
    /// For a localhost silo on a local folder: Exclusive (the default, a standing silo) keeps every other silo off the
    /// folder while it runs; Shared (an embedded silo of one command) lets other commands' embedded silos on it too.
    /// </summary>
    public DataFolderUse DataFolderUse { get; set; } = DataFolderUse.Exclusive;

    /// <summary>
    /// The user's assemblies to load (Graphport:Modules:0, :1, ...; graphport silo --modules FILE.dll): their
    /// [GraphportModule] classes export as "module:NAME", their [GraphportOperators] libraries define the custom
    /// operators that programs using them need. Every silo of a cluster should load the same ones.
    /// </summary>
    public List<string> Modules { get; set; } = [];

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
        if (HttpPort is < 0 or > 65535) throw new ArgumentException($"{nameof(HttpPort)} must be 0-65535 (0: no HTTP endpoints), got {HttpPort}.");
        if (HttpPort != 0 && (HttpPort == SiloPort || HttpPort == GatewayPort))
            throw new ArgumentException($"{nameof(HttpPort)} {HttpPort} is also the silo or gateway port; give the HTTP endpoints a port of their own (8080, say).");
        if (Kubernetes && Clustering != ClusteringMode.AzureTable)
            throw new ArgumentException($"{nameof(Kubernetes)} hosting needs {nameof(ClusteringMode.AzureTable)} clustering: pods find each other through a membership table, not localhost. "
                + "Set Graphport__Clustering=AzureTable and Graphport__AzureConnectionString.");
        if (Kubernetes && SiloName is not null)
            throw new ArgumentException($"With {nameof(Kubernetes)} hosting the silo is named after its pod (POD_NAME), which is how a deleted pod is matched to its silo; leave {nameof(SiloName)} out.");
        if (KubernetesApiUrl is not null && !(Uri.TryCreate(KubernetesApiUrl, UriKind.Absolute, out var api) && (api.Scheme == Uri.UriSchemeHttp || api.Scheme == Uri.UriSchemeHttps)))
            throw new ArgumentException($"{nameof(KubernetesApiUrl)} '{KubernetesApiUrl}' is not an http(s) URL; use the API server's address, or http://127.0.0.1:8001 behind `kubectl proxy`.");
        if (KubernetesApiUrl is not null && !Kubernetes)
            throw new ArgumentException($"{nameof(KubernetesApiUrl)} is only used with {nameof(Kubernetes)} hosting; set Graphport__Kubernetes=true or leave it out.");
        if (Modules is null || Modules.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"{nameof(Modules)} has an empty entry; give each the path of a module assembly (Graphport__Modules__0=/modules/MyModules.dll) or leave it out.");
        ArgumentNullException.ThrowIfNull(Batching);
        Batching.Validate();
        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId)) throw new ArgumentException("ClusterId and ServiceId must not be empty.");
    }
}
