using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Graphport.Client;

/// <summary>
/// How to reach an external cluster: its identity, and either its gateways (<see cref="Gateways"/>: a localhost silo such
/// as `graphport silo`, or any fixed list) or the Azure Table that lists them (<see cref="AzureConnectionString"/>).
/// </summary>
public sealed class GraphportClientOptions
{
    public string ClusterId { get; set; } = "graphport";

    public string ServiceId { get; set; } = "graphport";

    /// <summary>The Azure Storage connection string of the cluster's membership table ("UseDevelopmentStorage=true" for Azurite).</summary>
    public string AzureConnectionString { get; set; } = "";

    /// <summary>Gateways to connect to directly (static clustering): 127.0.0.1:30000 for a silo `graphport silo` started on this machine.</summary>
    public List<IPEndPoint> Gateways { get; set; } = [];

    /// <summary>How long one call may take; exports and zoo batches take minutes on a CPU.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The longest ConnectAsync waits for a gateway to answer; a refused connection (no silo there) fails at once, with a
    /// clear error either way.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The client's own log (Orleans' connection attempts, lost gateways) to stderr: warnings and errors by default;
    /// <see cref="LogLevel.None"/> for tools that report failures themselves, as the CLI does.
    /// </summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Options for <paramref name="address"/> in either form <see cref="ClusterAddress"/> reads; throws ArgumentException naming what is wrong.</summary>
    public static GraphportClientOptions ForCluster(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        string trimmed = address.Trim();
        var options = ClusterAddress.IsConnectionString(trimmed)
            ? new GraphportClientOptions { AzureConnectionString = trimmed }
            : new GraphportClientOptions { Gateways = [.. ClusterAddress.ParseGateways(trimmed)] };
        options.Validate();
        return options;
    }

    /// <summary>Checks that the options name one way to the cluster and that it is well formed; throws ArgumentException naming the option to fix.</summary>
    public void Validate()
    {
        bool gateways = Gateways is { Count: > 0 };
        bool azure = !string.IsNullOrWhiteSpace(AzureConnectionString);
        if (gateways && azure)
            throw new ArgumentException($"Give {nameof(Gateways)} or {nameof(AzureConnectionString)}, not both: a client finds a cluster one way.");
        if (!gateways && !azure)
            throw new ArgumentException($"Give {nameof(Gateways)} (127.0.0.1:30000 for a silo `graphport silo` started) or {nameof(AzureConnectionString)} (the membership table of an Azure-clustered silo) to find the cluster.");
        if (azure) _ = TableClient();
        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId)) throw new ArgumentException($"{nameof(ClusterId)} and {nameof(ServiceId)} must not be empty.");
        if (ConnectTimeout <= TimeSpan.Zero || ResponseTimeout <= TimeSpan.Zero) throw new ArgumentException($"{nameof(ConnectTimeout)} and {nameof(ResponseTimeout)} must be positive.");
    }

    /// <summary>The membership table's client; a malformed connection string throws ArgumentException with the Azure SDK's reason.</summary>
    internal TableServiceClient TableClient()
    {
        try
        {
            return new TableServiceClient(AzureConnectionString);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException($"{nameof(AzureConnectionString)} is not an Azure Storage connection string: {e.Message}");
        }
    }

    /// <summary>Where the client looks for gateways, for messages: "gateway 127.0.0.1:30000" or "the gateways in its Azure Table".</summary>
    internal string DescribeGateways() => Gateways is { Count: > 0 }
        ? $"gateway{(Gateways.Count > 1 ? "s" : "")} {string.Join(", ", Gateways)}"
        : "the gateways its Azure Table membership table lists";
}
