using System.Globalization;
using System.Text;

namespace Graphport.Bench;

/// <summary>The ONNX report as a Markdown table: medians, ours / ORT ratios, and the agreement check per model.</summary>
public static class OnnxResultTable
{
    public static string Format(IReadOnlyList<OnnxTiming> timings)
    {
        string[] header =
        [
            "model", "input", "nodes", "import ms", "ours ms", "ORT 1 thread ms", "ours / ORT 1t", "ORT default threads ms", "ours / ORT default",
            "max err / peak", "runs ours / ORT",
        ];
        var rows = new List<string[]> { header };
        foreach (var t in timings)
        {
            rows.Add(
            [
                t.Model, t.Input, N(t.Nodes), Ms(t.ImportMs), Ms(t.OursMedianMs), Ms(t.OrtOneThreadMedianMs), Ratio(t.OursMedianMs, t.OrtOneThreadMedianMs),
                Ms(t.OrtDefaultThreadsMedianMs), Ratio(t.OursMedianMs, t.OrtDefaultThreadsMedianMs),
                t.MaxError.ToString("0.0E+0", CultureInfo.InvariantCulture) + (t.MaxError <= OutputAgreement.Tolerance ? "" : " (above 1e-4)"),
                $"{t.OursMs.Count} / {t.OrtOneThreadMs.Count}",
            ]);
        }
        var widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        for (int r = 0; r < rows.Count; r++)
        {
            // Names left-aligned, numbers right-aligned, so RESULTS.md can take it verbatim.
            text.Append("| ").AppendJoin(" | ", rows[r].Select((cell, c) => c < 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).AppendLine(" |");
            if (r == 0) text.Append('|').AppendJoin('|', widths.Select((w, c) => c < 2 ? new string('-', w + 2) : new string('-', w + 1) + ":")).AppendLine("|");
        }
        return text.ToString();
    }

    /// <summary>Three significant digits down to microseconds: hello_deepa runs in about 0.01 ms.</summary>
    private static string Ms(double ms) => ms switch
    {
        >= 100 => ms.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => ms.ToString("0.0", CultureInfo.InvariantCulture),
        >= 1 => ms.ToString("0.00", CultureInfo.InvariantCulture),
        >= 0.1 => ms.ToString("0.000", CultureInfo.InvariantCulture),
        _ => ms.ToString("0.0000", CultureInfo.InvariantCulture),
    };

    private static string Ratio(double ours, double ort) =>
        ort > 0 ? (ours / ort).ToString(ours / ort >= 10 ? "0" : "0.0", CultureInfo.InvariantCulture) + "×" : "-";

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
