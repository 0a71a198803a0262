using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Graphport.Client;

/// <summary>
/// Where a cluster is, as people write it: gateway addresses "HOST:PORT[,HOST:PORT...]" (a localhost silo such as
/// `graphport silo` lists itself nowhere, so a client names its gateway) or an Azure Storage connection string
/// ("KEY=VALUE;...", whose membership table lists the gateways).
/// </summary>
public static class ClusterAddress
{
    /// <summary>What either form looks like, for error messages.</summary>
    public const string Forms =
        "gateway addresses HOST:PORT[,HOST:PORT...] (127.0.0.1:30000 for a silo `graphport silo` started) or an Azure Storage connection string KEY=VALUE;... (UseDevelopmentStorage=true for Azurite)";

    /// <summary>Connection strings are the only form with '='; host names and addresses never have one.</summary>
    public static bool IsConnectionString(string address) => address.Contains('=', StringComparison.Ordinal);

    /// <summary>
    /// The gateways in "HOST:PORT[,HOST:PORT...]"; host names resolve now, to IPv4 first (silos listen on 127.0.0.1 unless told
    /// otherwise). Throws ArgumentException naming the entry that is wrong and why.
    /// </summary>
    public static IPEndPoint[] ParseGateways(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var entries = address.Split(',', StringSplitOptions.TrimEntries);
        if (entries.Any(e => e.Length == 0)) throw new ArgumentException($"'{address}' has an empty gateway address; write {Forms}.");
        return entries.Select(entry => ParseGateway(entry, address)).ToArray();
    }

    private static IPEndPoint ParseGateway(string entry, string address)
    {
        int colon = entry.LastIndexOf(':');
        // "[::1]:30000" and "127.0.0.1:30000" are IP addresses; a bare IPv6 address would be all colons and no port.
        string host = colon > 0 ? entry[..colon].Trim('[', ']') : "";
        string portText = colon > 0 ? entry[(colon + 1)..] : "";
        if (host.Length == 0 || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new ArgumentException($"'{entry}'{(entry == address ? "" : $" in '{address}'")} is not HOST:PORT with a port from 1 to 65535; write {Forms}.");
        if (IPAddress.TryParse(host, out var ip)) return new IPEndPoint(ip, port);
        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(host);
        }
        catch (SocketException e)
        {
            throw new ArgumentException($"The gateway host '{host}' in '{address}' does not resolve ({e.Message}); give its IP address, e.g. 127.0.0.1:{port}.");
        }
        var chosen = resolved.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? resolved.FirstOrDefault()
            ?? throw new ArgumentException($"The gateway host '{host}' in '{address}' resolves to no address; give its IP address, e.g. 127.0.0.1:{port}.");
        return new IPEndPoint(chosen, port);
    }
}
