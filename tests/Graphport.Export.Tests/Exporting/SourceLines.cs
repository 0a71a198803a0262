using System.Runtime.CompilerServices;

namespace Graphport.Tests.Exporting;

/// <summary>Finds the line of a "// LINE:name" marker in a test source file, so file:line checks track edits.</summary>
internal static class SourceLines
{
    public static (string File, int Line) Marker(string name, [CallerFilePath] string here = "")
    {
        string file = Path.Combine(Path.GetDirectoryName(here)!, "TutorialModules.cs");
        var lines = File.ReadAllLines(file);
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].TrimEnd().EndsWith($"// LINE:{name}", StringComparison.Ordinal)) return (file, i + 1);
        throw new InvalidOperationException($"No marker {name} in {file}");
    }
}
