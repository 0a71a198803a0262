using System.Net;
using System.Net.Sockets;

namespace Graphport.Client;

/// <summary>Asks the OS for unused loopback ports, so an embedded silo never collides with a running one.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
