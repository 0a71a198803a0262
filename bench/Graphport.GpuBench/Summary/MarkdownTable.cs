using System.Globalization;
using System.Text;

namespace Graphport.GpuBench.Summary;

/// <summary>A GitHub markdown table; cells are escaped and kept on one line.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public int Count => rows.Count;

    public void Add(params string?[] cells) => rows.Add(cells.Select(c => Escape(c ?? "")).ToArray());

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", headers)).Append(" |\n");
        sb.Append('|').Append(string.Concat(headers.Select(_ => "---|"))).Append('\n');
        foreach (var row in rows) sb.Append("| ").Append(string.Join(" | ", row.Concat(Enumerable.Repeat("", Math.Max(0, headers.Length - row.Length))))).Append(" |\n");
        return sb.ToString();
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>A number with <paramref name="digits"/> significant digits (3: 0.123, 12.3, 1234), "" for none.</summary>
    public static string Num(double? value, int digits = 3)
    {
        if (value is not double v) return "";
        if (v == 0) return "0";
        double magnitude = Math.Abs(v);
        if (magnitude >= 1e6 || magnitude < 1e-3) return v.ToString("0.##e+0", CultureInfo.InvariantCulture);
        int decimals = Math.Max(0, digits - 1 - (int)Math.Floor(Math.Log10(magnitude)));
        return Math.Round(v, decimals).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }

    public static string Cap(string? text, int length = 160) =>
        text is null ? "" : text.Length <= length ? text : text[..length] + "…";
}
