using System.Globalization;

namespace Graphport.Bench;

/// <summary>Command line of the ONNX benchmark: onnx [--model NAME ...] [--runs N] [--warmup N] [--json PATH].</summary>
public sealed record OnnxBenchOptions
{
    public const string Usage =
        "usage: Graphport.Bench onnx [--model ResNet18|MiniLM|PP-OCRv4-det|PP-OCRv4-rec|hello_deepa ...] [--runs N] [--warmup N] [--json out.json]";

    /// <summary>Timed runs per model for every side; null: each model's default for ours, at least 50 for ONNX Runtime.</summary>
    public int? Runs { get; init; }

    /// <summary>Untimed runs of our interpreter after the first (checked) one.</summary>
    public int Warmup { get; init; } = 3;

    public string? JsonPath { get; init; }
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Parses args (args[0] is "onnx"); throws ArgumentException with the usage line on anything it does not know.</summary>
    public static OnnxBenchOptions Parse(string[] args)
    {
        var options = new OnnxBenchOptions();
        var models = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--model": models.Add(Next()); break;
                case "--runs": options = options with { Runs = Math.Max(1, NonNegative(Next(), "--runs")) }; break;
                case "--warmup": options = options with { Warmup = NonNegative(Next(), "--warmup") }; break;
                case "--json": options = options with { JsonPath = Next() }; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}");
            }
        }
        return options with { Models = models };
    }

    private static int NonNegative(string text, string option) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 0
            ? n
            : throw new ArgumentException($"{option} takes a non-negative integer, got '{text}'.\n{Usage}");
}
