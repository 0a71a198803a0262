using Graphport.Graphs;

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
        ArgumentException a => new(GraphportErrorKind.InvalidInput, a.Message, null, a.GetType().Name),
        NodeExecutionException n => new(GraphportErrorKind.ExecutionFailed, n.Message, null, n.InnerException?.GetType().Name ?? nameof(NodeExecutionException)),
        _ => new(GraphportErrorKind.ExecutionFailed, $"{e.GetType().Name}: {e.Message}", null, e.GetType().Name),
    };

    public static GraphportException Internal(Exception e) =>
        e as GraphportException ?? new(GraphportErrorKind.Internal, $"{e.GetType().Name}: {e.Message}", null, e.GetType().Name);
}
