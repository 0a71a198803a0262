namespace Graphport;

/// <summary>
/// A user error found while exporting (torch's UserError): unsupported code, bad dynamic shapes,
/// violated constraints. The message names the problem, the user's line where known, and the fix.
/// </summary>
public class ExportException(string message, Exception? inner = null) : Exception(message, inner);
