using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Graphport.Grains;
using Graphport.Kernels.Compilation;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Graphport.Silo;

/// <summary>Configures an Orleans silo as a Graphport silo.</summary>
public static class GraphportSiloBuilderExtensions
{
    /// <summary>
    /// Grains and their services, the user's module assemblies, storage (grain state and blobs), silo metadata with the
    /// GPU placement filter, the execution device, activity propagation, timeouts, health. Clustering is separate (<see cref="UseGraphportClustering"/>)
    /// so test clusters can bring their own.
    /// </summary>
    public static ISiloBuilder AddGraphport(this ISiloBuilder silo, GraphportSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        silo.Services.TryAddSingleton(options.Batching);
        var metadata = GpuMetadata.Complete(options.Metadata);
        // Before AddGraphportGrains, whose TryAdd of the CPU device would otherwise win: a gpu=true silo's executors
        // must see cuda:0, or they never try the CUDA backend.
        silo.Services.TryAddSingleton(DeviceFromMetadata(metadata));
        silo.Services.AddGraphportGrains();
        // The user's assemblies load now, so a bad one stops the silo before it starts rather than at its first export.
        if (options.Modules.Count > 0) silo.Services.AddGraphportModuleAssemblies(options.Modules);
        switch (options.Storage)
        {
            case StorageMode.LocalFolder:
                silo.AddLocalFolderGrainStorage(GraphportStorage.ProviderName, o => o.RootDirectory = Path.Combine(options.DataDirectory, "state"));
                silo.Services.TryAddSingleton<IContentStore>(new LocalFolderContentStore(Path.Combine(options.DataDirectory, "blobs")));
                silo.Services.TryAddSingleton<IKernelBlobStore>(_ => new LocalFolderBlobStore(Path.Combine(options.DataDirectory, "kernels")));
                break;
            case StorageMode.AzureBlob:
                silo.AddAzureBlobGrainStorage(GraphportStorage.ProviderName, o =>
                {
                    o.BlobServiceClient = new BlobServiceClient(options.AzureConnectionString);
                    o.ContainerName = "graphport-state";
                });
                silo.Services.TryAddSingleton<IContentStore>(new AzureBlobContentStore(new BlobServiceClient(options.AzureConnectionString)));
                // Compiled kernels too, so GPU silos share them and a restarted one does not compile again.
                silo.Services.TryAddSingleton<IKernelBlobStore>(new AzureBlobKernelStore(new BlobServiceClient(options.AzureConnectionString)));
                break;
        }
        silo.UseSiloMetadata(metadata);
        silo.AddActivityPropagation();
        silo.Configure<SiloMessagingOptions>(o =>
        {
            o.ResponseTimeout = options.ResponseTimeout;
            o.MaxMessageBodySize = MessageLimits.MaxMessageBodyBytes;
        });
        silo.Services.AddHealthChecks()
            .AddCheck<DeviceHealthCheck>(DeviceHealthCheck.Name, tags: [HealthEndpoints.LiveTag])
            .AddCheck<BlobStoreHealthCheck>(BlobStoreHealthCheck.Name, tags: [HealthEndpoints.ReadyTag])
            .AddCheck<MembershipHealthCheck>(MembershipHealthCheck.Name, tags: [HealthEndpoints.ReadyTag]);
        return silo;
    }

    /// <summary>Cluster identity, endpoints and membership: localhost, or an Azure table (in Kubernetes pods or not).</summary>
    public static ISiloBuilder UseGraphportClustering(this ISiloBuilder silo, GraphportSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // Before the ClusterOptions below: Orleans' Kubernetes hosting also sets them (from ORLEANS_CLUSTER_ID and
        // ORLEANS_SERVICE_ID when present); options apply in registration order, so Graphport:ClusterId, the one
        // setting clients and the pods' orleans/clusterId label use too, has the last word.
        if (options.Kubernetes) silo.UseKubernetesHosting(k => ConfigureKubernetesApi(k, options.KubernetesApiUrl));
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        if (options.SiloName is { } name) silo.Configure<SiloOptions>(o => o.SiloName = name);
        switch (options.Clustering)
        {
            case ClusteringMode.Localhost:
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, null, options.ServiceId, options.ClusterId);
                break;
            case ClusteringMode.AzureTable:
                // In a pod the silo advertises POD_IP and listens on every interface (Kubernetes hosting does the latter).
                if (options.Kubernetes)
                    silo.Configure<EndpointOptions>(o =>
                    {
                        (o.SiloPort, o.GatewayPort) = (options.SiloPort, options.GatewayPort);
                        if (PodAddress() is { } pod) o.AdvertisedIPAddress = pod;
                    });
                else
                    silo.ConfigureEndpoints(IPAddress.Parse(options.Address), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
                silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(options.AzureConnectionString));
                break;
        }
        return silo;
    }

    /// <summary>
    /// POD_IP, set here rather than left to Kubernetes hosting: Orleans' default address (the first IPv4 address
    /// the host resolves) is applied before Kubernetes hosting looks at POD_IP, so on a node with several
    /// interfaces the silo would advertise whichever came first. Null without POD_IP: then that default applies.
    /// </summary>
    private static IPAddress? PodAddress()
    {
        string? text = Environment.GetEnvironmentVariable("POD_IP");
        if (string.IsNullOrWhiteSpace(text)) return null;
        return IPAddress.TryParse(text, out var address)
            ? address
            : throw new InvalidOperationException($"POD_IP '{text}' is not an IP address; give it the pod's status.podIP through the downward API, as deploy/k8s does.");
    }

    private static void ConfigureKubernetesApi(OptionsBuilder<KubernetesHostingOptions> kubernetes, string? apiUrl)
    {
        // In a pod the agent reads the service account's token (InClusterConfig, Orleans' default); an explicit URL
        // is an unauthenticated API such as `kubectl proxy`.
        if (apiUrl is not null) kubernetes.Configure(k => k.GetClientConfiguration = () => new KubernetesClientConfiguration { Host = apiUrl });
    }

    /// <summary>gpu=true makes the silo's device cuda:0, named by "device", sized by "gpu_memory"; otherwise the CPU.</summary>
    public static ExecutionDevice DeviceFromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(SiloMetadataKeys.Gpu, out var gpu) || !string.Equals(gpu, "true", StringComparison.OrdinalIgnoreCase))
            return ExecutionDevice.Cpu;
        string name = metadata.TryGetValue(SiloMetadataKeys.Device, out var d) ? d : "GPU";
        long memory = metadata.TryGetValue(SiloMetadataKeys.GpuMemory, out var m) && long.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : 0;
        return new ExecutionDevice(ExecutionDevice.CudaKind, 0, name, memory);
    }
}
