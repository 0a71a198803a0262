using System.Diagnostics;

namespace Graphport.Client;

/// <summary>
/// Keeps a client trying to connect while a silo may still be starting (its gateway not yet listening, or not yet in the
/// membership table), as Orleans' default filter does, but within <see cref="GraphportClientOptions.ConnectTimeout"/>
/// rather than 15 ever longer pauses (three minutes), and counts the tries so the error can say what was done.
/// </summary>
internal sealed class ConnectRetryWindow(TimeSpan window) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);
    private readonly Stopwatch watch = Stopwatch.StartNew();
    private readonly List<Exception> failures = [];

    /// <summary>Connection attempts made so far, the failed ones and any in progress.</summary>
    public int Attempts { get; private set; } = 1;

    public TimeSpan Elapsed => watch.Elapsed;

    /// <summary>Every failed attempt's exception, oldest first: the one that ends the tries is often not the one that says why.</summary>
    public IReadOnlyList<Exception> Failures
    {
        get { lock (failures) return [.. failures]; }
    }

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        lock (failures) failures.Add(exception);
        // The failures a silo that is not up yet causes; anything else will not go away by waiting.
        if (exception is not (OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException)) return false;
        var pause = TimeSpan.FromMilliseconds(Math.Min(250 * Attempts, LongestPause.TotalMilliseconds));
        if (watch.Elapsed + pause >= window) return false;
        await Task.Delay(pause, cancellationToken);
        Attempts++;
        return true;
    }
}
