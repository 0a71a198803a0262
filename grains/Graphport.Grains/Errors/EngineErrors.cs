using Graphport.Graphs;
using Orleans.Runtime;

namespace Graphport.Grains;

/// <summary>
/// Translates what the engine throws into the one exception type that crosses the cluster, keeping the engine's
/// message whole: a constraint violation's text with its suggested fixes reaches the caller as written.
/// </summary>
public static class EngineErrors
{
    /// <summary>For failures while exporting or decomposing.</summary>
    public static GraphportException FromExport(Exception e) => e switch
    {
        GraphportException g => g,
        _ when IsTransient(e) => Unavailable(e),
        ConstraintViolationException c => new(GraphportErrorKind.ConstraintViolation, c.Message, [.. c.SuggestedFixes], nameof(ConstraintViolationException)),
        ExportException x => new(GraphportErrorKind.ExportFailed, x.Message, null, x.GetType().Name),
        // Argument checks of the engine's API (bad Dim bounds, bad example shapes for the module) are the request's fault.
        ArgumentException a => new(GraphportErrorKind.InvalidRequest, a.Message, null, a.GetType().Name),
        _ => Internal(e),
    };

    /// <summary>For failures while running a program: input checks are the caller's fault, the rest the program's.</summary>
    public static GraphportException FromExecution(Exception e) => e switch
    {
        GraphportException g => g,
        _ when IsTransient(e) => Unavailable(e),
        ArgumentException a => new(GraphportErrorKind.InvalidInput, a.Message, null, a.GetType().Name),
        // An index in the data out of range (a token id past the vocabulary): the input's fault, the node's source kept.
        NodeExecutionException { InnerException: IndexValueException index } n => new(GraphportErrorKind.InvalidInput, n.Message, null, index.GetType().Name),
        NodeExecutionException n => new(GraphportErrorKind.ExecutionFailed, n.Message, null, n.InnerException?.GetType().Name ?? nameof(NodeExecutionException)),
        _ => new(GraphportErrorKind.ExecutionFailed, $"{e.GetType().Name}: {e.Message}", null, e.GetType().Name),
    };

    public static GraphportException Internal(Exception e) =>
        e as GraphportException ?? (IsTransient(e) ? Unavailable(e) : new(GraphportErrorKind.Internal, $"{e.GetType().Name}: {e.Message}", null, e.GetType().Name));

    /// <summary>A silo or gateway went away mid-call: the operation may be retried (it may also have completed).</summary>
    public static bool IsTransient(Exception e) =>
        e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or GraphportException { Kind: GraphportErrorKind.Unavailable };

    private static GraphportException Unavailable(Exception e) =>
        new(GraphportErrorKind.Unavailable, $"Part of the cluster became unavailable during the call; retry. ({e.GetType().Name}: {e.Message})", null, e.GetType().Name);
}
