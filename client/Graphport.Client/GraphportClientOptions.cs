namespace Graphport.Client;

/// <summary>How to reach an external cluster: its identity and the Azure Table that lists its gateways.</summary>
public sealed class GraphportClientOptions
{
    public string ClusterId { get; set; } = "graphport";

    public string ServiceId { get; set; } = "graphport";

    /// <summary>The Azure Storage connection string of the cluster's membership table ("UseDevelopmentStorage=true" for Azurite).</summary>
    public string AzureConnectionString { get; set; } = "";

    /// <summary>How long one call may take; exports and zoo batches take minutes on a CPU.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long ConnectAsync tries to reach a gateway before giving up with a clear error.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
