namespace Graphport.ExportDB;

/// <summary>
/// Makes file paths in messages repository-relative. Errors name the user's file:line with the absolute path
/// the build saw (from the PDB); the docs must read the same on every machine, so that prefix is removed. The
/// root is the one this assembly was compiled in, known from a case file's compile-time path.
/// </summary>
public static class RepositoryPaths
{
    /// <summary>Where case files live, relative to the repository root.</summary>
    public const string CasesFolder = "examples/exportdb/Cases";

    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The absolute repository root of the build, with forward slashes and a trailing slash; null if unknown.</summary>
    public static string? BuildRoot => Root.Value;

    /// <summary>The case's source file, relative to the repository root.</summary>
    public static string SourcePath(ExportDbCase @case) => $"{CasesFolder}/{@case.SourceFileName}";

    /// <summary>Replaces the build's repository root in <paramref name="text"/> by nothing, in either slash style.</summary>
    public static string Relativize(string text)
    {
        if (BuildRoot is not { } root) return text;
        text = text.Replace(root, "", StringComparison.Ordinal);
        return text.Replace(root.Replace('/', '\\'), "", StringComparison.Ordinal);
    }

    private static string? FindRoot()
    {
        string marker = "/" + CasesFolder + "/";
        foreach (var c in ExportDb.Cases)
        {
            var path = c.SourceFile.Replace('\\', '/');
            int at = path.LastIndexOf(marker, StringComparison.Ordinal);
            if (at >= 0) return path[..(at + 1)];
        }
        return null;
    }
}
