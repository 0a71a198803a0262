using System.Reflection.Metadata;

namespace Graphport.Analysis;

/// <summary>
/// An exception region in one shape whether it came from metadata (MethodBodyBlock.ExceptionRegions) or from
/// reflection (MethodBody.ExceptionHandlingClauses), so the interpreter does not care which source was available.
/// </summary>
internal readonly record struct ExceptionRegionInfo(
    ExceptionRegionKind Kind, int TryOffset, int TryLength, int HandlerOffset, int HandlerLength, int FilterOffset)
{
    public bool TryContains(int offset) => offset >= TryOffset && offset < TryOffset + TryLength;

    /// <summary>Catch and filter handlers swallow exceptions: the control flow the graph cannot express. Finally and fault only clean up.</summary>
    public bool CatchesExceptions => Kind is ExceptionRegionKind.Catch or ExceptionRegionKind.Filter;
}
