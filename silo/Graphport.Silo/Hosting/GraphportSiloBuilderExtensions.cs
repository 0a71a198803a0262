using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Graphport.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Graphport.Silo;

/// <summary>Configures an Orleans silo as a Graphport silo.</summary>
public static class GraphportSiloBuilderExtensions
{
    /// <summary>
    /// Grains and their services, storage (grain state and blobs), silo metadata with the GPU placement filter, the
    /// execution device, activity propagation, timeouts, health. Clustering is separate (<see cref="UseGraphportClustering"/>)
    /// so test clusters can bring their own.
    /// </summary>
    public static ISiloBuilder AddGraphport(this ISiloBuilder silo, GraphportSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        silo.Services.TryAddSingleton(options.Batching);
        // Before AddGraphportGrains, whose TryAdd of the CPU device would otherwise win: a gpu=true silo's executors
        // must see cuda:0, or they never try the CUDA backend.
        silo.Services.TryAddSingleton(DeviceFromMetadata(options.Metadata));
        silo.Services.AddGraphportGrains();
        switch (options.Storage)
        {
            case StorageMode.LocalFolder:
                silo.AddLocalFolderGrainStorage(GraphportStorage.ProviderName, o => o.RootDirectory = Path.Combine(options.DataDirectory, "state"));
                silo.Services.TryAddSingleton<IContentStore>(new LocalFolderContentStore(Path.Combine(options.DataDirectory, "blobs")));
                break;
            case StorageMode.AzureBlob:
                silo.AddAzureBlobGrainStorage(GraphportStorage.ProviderName, o =>
                {
                    o.BlobServiceClient = new BlobServiceClient(options.AzureConnectionString);
                    o.ContainerName = "graphport-state";
                });
                silo.Services.TryAddSingleton<IContentStore>(new AzureBlobContentStore(new BlobServiceClient(options.AzureConnectionString)));
                break;
        }
        silo.UseSiloMetadata(new Dictionary<string, string>(options.Metadata, StringComparer.Ordinal));
        silo.AddActivityPropagation();
        silo.Configure<SiloMessagingOptions>(o =>
        {
            o.ResponseTimeout = options.ResponseTimeout;
            o.MaxMessageBodySize = MessageLimits.MaxMessageBodyBytes;
        });
        silo.Services.AddHealthChecks().AddCheck<GraphportHealthCheck>("graphport");
        return silo;
    }

    /// <summary>Cluster identity, endpoints and membership: localhost, or an Azure table.</summary>
    public static ISiloBuilder UseGraphportClustering(this ISiloBuilder silo, GraphportSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
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
                silo.ConfigureEndpoints(IPAddress.Parse(options.Address), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
                silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(options.AzureConnectionString));
                break;
        }
        return silo;
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
