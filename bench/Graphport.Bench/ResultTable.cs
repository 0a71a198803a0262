using System.Globalization;
using System.Text;

namespace Graphport.Bench;

/// <summary>The report: one row per model and mode, with the torch.export ratio when its results were given.</summary>
public static class ResultTable
{
    public static string Format(IReadOnlyList<ExportTiming> timings, TorchResults? torch)
    {
        var header = new List<string> { "model", "mode", "nodes", "median ms", "p10 ms", "p90 ms", "runs", "first ms", "max abs diff" };
        if (torch is not null) header.AddRange(["torch median ms", "graphport / torch", "torch / graphport"]);
        var rows = new List<List<string>> { header };
        foreach (var t in timings)
        {
            var row = new List<string>
            {
                t.Model, t.Strict ? "strict" : "non-strict", N(t.Nodes), Ms(t.MedianMs), Ms(t.P10Ms), Ms(t.P90Ms), N(t.SamplesMs.Count), Ms(t.FirstMs),
                t.MaxAbsDiff is double d ? d.ToString("G3", CultureInfo.InvariantCulture) : "not checked",
            };
            if (torch is not null)
            {
                double? torchMs = torch.MedianMs(t.Key);
                row.Add(torchMs is double tm ? Ms(tm) : "-");
                // Three significant digits: Graphport's export can be hundreds of times faster, and 0.00x says nothing.
                row.Add(torchMs is double r && r > 0 ? (t.MedianMs / r).ToString("G3", CultureInfo.InvariantCulture) + "x" : "-");
                row.Add(torchMs is double q && q > 0 && t.MedianMs > 0 ? (q / t.MedianMs).ToString("G3", CultureInfo.InvariantCulture) + "x" : "-");
            }
            rows.Add(row);
        }
        var widths = Enumerable.Range(0, header.Count).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        for (int r = 0; r < rows.Count; r++)
        {
            // Names left-aligned, numbers right-aligned, as a Markdown table so RESULTS.md can take it verbatim.
            text.Append("| ").AppendJoin(" | ", rows[r].Select((cell, c) => c < 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).AppendLine(" |");
            if (r == 0) text.Append('|').AppendJoin('|', widths.Select((w, c) => c < 2 ? new string('-', w + 2) : new string('-', w + 1) + ":")).AppendLine("|");
        }
        return text.ToString();
    }

    private static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
