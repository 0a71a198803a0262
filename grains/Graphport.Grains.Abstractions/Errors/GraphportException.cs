namespace Graphport.Grains;

/// <summary>
/// The one exception cluster calls throw on purpose. It crosses silos and reaches clients intact (registered
/// with Orleans' serializer): the engine's full message, the kind of failure, and for constraint violations the
/// suggested fixes as separate lines.
/// </summary>
[GenerateSerializer, Alias("Graphport.GraphportException")]
public sealed class GraphportException : Exception
{
    public GraphportException(GraphportErrorKind kind, string message, string[]? suggestedFixes = null, string? engineExceptionType = null)
        : base(message)
    {
        Kind = kind;
        SuggestedFixes = suggestedFixes ?? [];
        EngineExceptionType = engineExceptionType;
    }

    [Id(0)]
    public GraphportErrorKind Kind { get; private set; }

    /// <summary>C# statements that fix a constraint violation (e.g. `batch = new Dim("batch", max: 16);`).</summary>
    [Id(1)]
    public string[] SuggestedFixes { get; private set; }

    /// <summary>The engine exception's type name ("ConstraintViolationException"), when one was translated.</summary>
    [Id(2)]
    public string? EngineExceptionType { get; private set; }
}
