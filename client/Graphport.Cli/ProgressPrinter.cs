using System.Globalization;
using Graphport.Grains;

namespace Graphport.Cli;

/// <summary>
/// The zoo batch's progress as lines: one when a model starts and one when it finishes, prefixed with the count
/// done so far. Reports arrive in order from one loop, so a plain callback (not Progress&lt;T&gt;) keeps them in order.
/// </summary>
public sealed class ProgressPrinter(TextWriter writer) : IProgress<ZooProgress>
{
    private readonly Dictionary<string, ZooModelState> seen = new(StringComparer.Ordinal);

    public void Report(ZooProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var row in value.Models)
        {
            if (seen.TryGetValue(row.Model, out var state) && state == row.State) continue;
            seen[row.Model] = row.State;
            string prefix = $"[{value.Completed}/{value.Total}]";
            switch (row.State)
            {
                case ZooModelState.Running when row.Attempts > 1:
                    writer.WriteLine($"{prefix} {row.Model}: running again (attempt {row.Attempts})");
                    break;
                case ZooModelState.Running:
                    writer.WriteLine($"{prefix} {row.Model}: running");
                    break;
                case ZooModelState.Passed:
                    writer.WriteLine($"{prefix} {row.Model}: passed (max error {Error(row.MaxError)})");
                    break;
                case ZooModelState.Failed:
                    writer.WriteLine($"{prefix} {row.Model}: FAILED: {row.Error}");
                    break;
            }
        }
    }

    public static string Error(double? error) => error is double e ? e.ToString("0.0e+00", CultureInfo.InvariantCulture) : "-";
}
