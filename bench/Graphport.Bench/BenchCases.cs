using Graphport.Zoo;

namespace Graphport.Bench;

/// <summary>The models the export benchmark times, in report order.</summary>
public static class BenchCases
{
    public static IReadOnlyList<BenchCase> All { get; } =
    [
        new("Mlp50", () => new Mlp50().Eval(), [Mlp50.Width]),
        new("ResNet18", () => new ResNet18().Eval(), [3, 224, 224]),
    ];

    /// <summary>The cases named on the command line, or all of them when none are.</summary>
    public static IReadOnlyList<BenchCase> Select(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return All;
        var unknown = names.Where(n => All.All(c => !string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown model(s) {string.Join(", ", unknown)}; known: {string.Join(", ", All.Select(c => c.Name))}.");
        return All.Where(c => names.Any(n => string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
    }
}
