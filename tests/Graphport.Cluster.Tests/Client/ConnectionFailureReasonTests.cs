using System.Net.Sockets;
using Graphport.Client;
using Microsoft.AspNetCore.Connections;
using Orleans.Runtime.Messaging;

namespace Graphport.Cluster.Tests.Client;

/// <summary>
/// Which of a client's failed connection attempts the error quotes. Orleans notes a recent failure as "Unable to connect
/// to ..., will retry after ..." and fails the next attempt with that note, so the last exception is often not the reason.
/// </summary>
public sealed class ConnectionFailureReasonTests
{
    private static ConnectionFailedException RetryNote() => new("Unable to connect to S127.0.0.1:30000:0, will retry after 912.5ms");

    [Fact]
    public void A_dropped_connection_is_named_even_when_a_retry_note_ended_the_attempts()
    {
        var attempts = new Exception[] { new ConnectionFailedException("Connection failed", new ConnectionAbortedException("Underlying connection closed")), RetryNote() };

        Assert.Equal("Underlying connection closed: the gateway closed each connection, as a silo of another cluster id or service id does",
            ConnectionFailureReason.Of(attempts));
    }

    [Fact]
    public void A_refusal_is_quoted_rather_than_the_retry_note_after_it()
    {
        var attempts = new Exception[] { new ConnectionFailedException("Unable to connect to 127.0.0.1:30000. Error: ConnectionRefused"), RetryNote(), RetryNote() };

        Assert.Equal("Unable to connect to 127.0.0.1:30000. Error: ConnectionRefused", ConnectionFailureReason.Of(attempts));
    }

    [Fact]
    public void A_socket_error_beneath_an_attempt_says_more_than_orleans_own_words_and_gives_its_code()
    {
        var socket = new SocketException((int)SocketError.HostUnreachable);
        var attempts = new Exception[] { new ConnectionFailedException("Unable to connect"), new ConnectionFailedException("Connection failed", socket), RetryNote() };

        Assert.Equal($"{socket.Message} (HostUnreachable)", ConnectionFailureReason.Of(attempts));
    }

    [Fact]
    public void A_start_the_connect_timeout_cancelled_before_any_attempt_failed_has_no_reason()
    {
        Assert.Null(ConnectionFailureReason.Of([new OperationCanceledException()]));
    }
}
