namespace Graphport.Analysis;

/// <summary>A PDB sequence point with its document name already read, so lookups after the first are allocation-free.</summary>
internal readonly record struct SequencePointInfo(int Offset, string File, int StartLine, int StartColumn, int EndLine, int EndColumn, bool Hidden)
{
    /// <summary>
    /// A lone "{" or "}" (Debug builds give braces their own nop). Locating a statement skips these so the
    /// reported line shows code, not punctuation.
    /// </summary>
    public bool IsBrace => !Hidden && StartLine == EndLine && EndColumn - StartColumn == 1;
}
