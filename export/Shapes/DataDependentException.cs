namespace Graphport;

/// <summary>Raised when tracing must decide a value that only tensor data can tell (torch's GuardOnDataDependentSymNode).</summary>
public sealed class DataDependentException(string message) : ExportException(message);
