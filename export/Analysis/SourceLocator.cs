using System.Collections.Concurrent;
using System.Reflection;

namespace Graphport.Analysis;

/// <summary>
/// Maps an IL offset in a method to the user's file and line through the assembly's portable PDB, the way Dynamo
/// maps a bytecode offset to a Python line. Symbols and source files are cached; all members are thread-safe.
/// </summary>
public static class SourceLocator
{
    private static readonly ConcurrentDictionary<string, string[]?> SourceFiles = new(StringComparer.Ordinal);

    /// <summary>
    /// The nearest non-hidden sequence point at or before <paramref name="ilOffset"/>; when the offset precedes
    /// every point (a prologue), the first non-hidden point. Null when the assembly has no portable PDB.
    /// </summary>
    public static SourceLocation? Locate(MethodBase method, int ilOffset)
    {
        var points = SequencePointsOf(method);
        SequencePointInfo? best = null;
        foreach (var point in points)
        {
            if (point.Hidden)
                continue;
            if (point.Offset <= ilOffset)
                best = point;
            else if (best is null)
            {
                best = point;
                break;
            }
            else
                break;
        }
        return best is { } found ? ToLocation(method, found) : null;
    }

    /// <summary>
    /// The first statement inside an IL range, skipping brace-only points: used for a try block, whose first
    /// instruction in a Debug build is the nop for its "{". Falls back to <see cref="Locate"/> at the start.
    /// </summary>
    internal static SourceLocation? LocateStatement(MethodBase method, int startOffset, int endOffset)
    {
        foreach (var point in SequencePointsOf(method))
        {
            if (point.Offset >= startOffset && point.Offset < endOffset && !point.Hidden && !point.IsBrace)
                return ToLocation(method, point);
        }
        return Locate(method, startOffset);
    }

    /// <summary>The text of a 1-based line of a source file, or null when the file cannot be read here.</summary>
    public static string? ReadSourceLine(string file, int line)
    {
        var lines = SourceFiles.GetOrAdd(file, ReadLines);
        return lines is not null && line >= 1 && line <= lines.Length ? lines[line - 1] : null;
    }

    private static string[]? ReadLines(string file)
    {
        try
        {
            return File.Exists(file) ? File.ReadAllLines(file) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<SequencePointInfo> SequencePointsOf(MethodBase method)
    {
        if (method.DeclaringType is null)
            return [];
        // MetadataToken of a generic instantiation is its definition's, which is what the PDB is keyed by.
        return AssemblyImage.For(method.Module.Assembly).SequencePoints(method.MetadataToken);
    }

    private static SourceLocation ToLocation(MethodBase method, SequencePointInfo point) =>
        new(point.File, point.StartLine, MethodDisplayName.Of(method), ReadSourceLine(point.File, point.StartLine)?.Trim());
}
