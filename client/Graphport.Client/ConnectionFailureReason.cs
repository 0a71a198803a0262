using Orleans.Runtime.Messaging;

namespace Graphport.Client;

/// <summary>
/// Why a client's connection attempts failed, in the words of the innermost exception of the attempt that says most
/// ("... Error: ConnectionRefused"), which is what a person can act on.
/// </summary>
internal static class ConnectionFailureReason
{
    /// <summary>The reason the attempts' exceptions (oldest first) give; null when none says anything (a start cancelled by the connect timeout).</summary>
    public static string? Of(IReadOnlyList<Exception> attempts)
    {
        var roots = attempts.Select(a => a.GetBaseException()).ToList();
        // A gateway that takes the connection and drops it at once is a silo turning away a client of another cluster.
        // One such drop among the attempts says so even when a later attempt failed otherwise: under load Orleans ends
        // with "Unable to connect to ..., will retry after ...", its note of the earlier failure.
        var dropped = roots.LastOrDefault(IsDroppedConnection);
        if (dropped is not null) return $"{dropped.Message.TrimEnd('.')}: the gateway closed each connection, as a silo of another cluster id or service id does";
        // That note is a ConnectionFailedException with no cause beneath it, as is the first failure's own
        // ("Unable to connect to ... Error: ConnectionRefused"), which no note precedes: a cause beneath says most, then the first.
        var told = roots.LastOrDefault(r => r is not (OperationCanceledException or ConnectionFailedException))
            ?? roots.FirstOrDefault(r => r is not OperationCanceledException);
        return told switch
        {
            null => null,
            System.Net.Sockets.SocketException socket => $"{socket.Message} ({socket.SocketErrorCode})",
            _ => told.Message.TrimEnd('.'),
        };
    }

    private static bool IsDroppedConnection(Exception root) =>
        root.GetType().Name == "ConnectionAbortedException" || root.Message.StartsWith("Connection terminated prematurely", StringComparison.Ordinal);
}
