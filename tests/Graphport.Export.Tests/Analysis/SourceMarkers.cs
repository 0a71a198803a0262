using System.Runtime.CompilerServices;

namespace Graphport.Tests.Analysis;

/// <summary>
/// Finds the line of a "// BREAK:name" comment in a subject's source file, so tests assert reported lines against
/// the source itself instead of hard-coded numbers that rot when a file is edited.
/// </summary>
internal static class SourceMarkers
{
    /// <summary>The path of the calling source file, as the compiler (and so the PDB) records it.</summary>
    public static string PathOf([CallerFilePath] string path = "") => path;

    public static int LineOf(string file, string marker)
    {
        var lines = File.ReadAllLines(file);
        var tag = $"// BREAK:{marker}";
        var matches = Enumerable.Range(0, lines.Length).Where(i => lines[i].TrimEnd().EndsWith(tag, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"expected exactly one '{tag}' in {file}, found {matches.Count}");
        return matches[0] + 1;
    }
}
