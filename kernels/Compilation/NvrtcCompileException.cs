using System.Text;
using System.Text.RegularExpressions;

namespace Graphport.Kernels.Compilation;

/// <summary>NVRTC rejected generated source; the message quotes each error with the source line it points at.</summary>
public sealed partial class NvrtcCompileException(string programName, string architecture, string log, string source, IReadOnlyList<(string IncludeName, string Source)> headers)
    : Exception(Explain(programName, architecture, log, source, headers))
{
    public string Log { get; } = log;

    public string GeneratedSource { get; } = source;

    /// <summary>
    /// "NVRTC could not compile NAME for sm_90:" then every log line, and under each "file(line): error" the
    /// numbered source line from the generated module or the Graphport header it names.
    /// </summary>
    public static string Explain(string programName, string architecture, string log, string source, IReadOnlyList<(string IncludeName, string Source)> headers)
    {
        var sb = new StringBuilder($"NVRTC could not compile {programName} for {architecture}:\n");
        var files = headers.ToDictionary(h => h.IncludeName, h => h.Source.Split('\n'), StringComparer.Ordinal);
        var main = source.Split('\n');
        foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            sb.Append("  ").Append(line.TrimEnd()).Append('\n');
            var match = Location().Match(line);
            if (!match.Success) continue;
            var file = match.Groups["file"].Value;
            int number = int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var lines = files.TryGetValue(file, out var header) ? header : file == programName || file.EndsWith(".cu", StringComparison.Ordinal) ? main : null;
            if (lines is not null && number >= 1 && number <= lines.Length)
                sb.Append($"    {number,5} | {lines[number - 1].TrimEnd()}\n");
        }
        return sb.ToString().TrimEnd();
    }

    [GeneratedRegex(@"^(?<file>[^()\s]+)\((?<line>\d+)\): (error|warning)")]
    private static partial Regex Location();
}
