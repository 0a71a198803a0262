using System.Reflection;

namespace Graphport.ExportDB;

/// <summary>
/// The C# source of a case, read from the copy embedded in this assembly: the lines between the
/// <c>// &lt;example&gt;</c> and <c>// &lt;/example&gt;</c> markers, which hold the module and its helpers
/// but not the case's metadata (shown separately).
/// </summary>
public static class CaseSource
{
    public const string BeginMarker = "// <example>";
    public const string EndMarker = "// </example>";

    public static string Read(ExportDbCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        string text = ReadFile(@case.SourceFileName)
            ?? throw new InvalidOperationException($"The source of {@case.Name} ({@case.SourceFileName}) is not embedded; case files must be under {RepositoryPaths.CasesFolder}.");
        var lines = text.Replace("\r\n", "\n").Split('\n');
        int begin = Array.FindIndex(lines, l => l.Trim() == BeginMarker);
        int end = Array.FindIndex(lines, l => l.Trim() == EndMarker);
        if (begin < 0 || end < begin)
            throw new InvalidOperationException($"{@case.SourceFileName} needs the markers {BeginMarker} and {EndMarker} around the example code.");
        return string.Join('\n', lines[(begin + 1)..end]).Trim('\n');
    }

    private static string? ReadFile(string fileName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Graphport.ExportDB.Cases.{fileName}");
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
