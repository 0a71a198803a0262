namespace Graphport.Analysis;

/// <summary>
/// A place in the user's source, as the portable PDB records it.
/// </summary>
/// <param name="File">The document path stored in the PDB (the path the compiler saw).</param>
/// <param name="Line">1-based line of the statement.</param>
/// <param name="Method">The user-facing method name, e.g. "Bad1.Forward" (lambdas render as "Bad1.Forward.&lt;lambda&gt;").</param>
/// <param name="Code">The trimmed text of that line when the file can be read here, else null.</param>
public sealed record SourceLocation(string File, int Line, string Method, string? Code);
