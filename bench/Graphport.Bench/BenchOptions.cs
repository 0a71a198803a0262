using System.Globalization;

namespace Graphport.Bench;

/// <summary>Command line of the harness: export [--warmup N] [--runs N] [--json PATH] [--torch PATH | --torch-python PYTHON] [--mode M] [--model NAME].</summary>
public sealed record BenchOptions
{
    public const string Usage =
        "usage: Graphport.Bench export [--warmup N] [--runs N] [--json out.json] [--torch torch_export.json | --torch-python PYTHON] " +
        "[--mode strict|non-strict|both] [--model Mlp50|ResNet18 ...] [--no-verify]";

    public string Command { get; init; } = "export";
    public int Warmup { get; init; } = 5;
    public int Runs { get; init; } = 20;
    public string? JsonPath { get; init; }
    public string? TorchPath { get; init; }

    /// <summary>A Python with torch that times torch.export here, after Graphport (TorchExportPeer).</summary>
    public string? TorchPython { get; init; }
    public IReadOnlyList<bool> StrictModes { get; init; } = [true];
    public IReadOnlyList<string> Models { get; init; } = [];
    public bool Verify { get; init; } = true;

    /// <summary>Parses args; throws ArgumentException with the usage line on anything it does not know.</summary>
    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] != "export")
            throw new ArgumentException($"The first argument must be the benchmark to run ('export' or 'onnx').\n{Usage}\n{OnnxBenchOptions.Usage}");
        var options = new BenchOptions();
        var models = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--warmup" => options with { Warmup = PositiveOrZero(Next(), "--warmup") },
                "--runs" => options with { Runs = Math.Max(1, PositiveOrZero(Next(), "--runs")) },
                "--json" => options with { JsonPath = Next() },
                "--torch" => options with { TorchPath = Next() },
                "--torch-python" => options with { TorchPython = Next() },
                "--mode" => options with { StrictModes = ParseMode(Next()) },
                "--model" => AddModel(options, models, Next()),
                "--no-verify" => options with { Verify = false },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}"),
            };
        }
        if (options.TorchPath is not null && options.TorchPython is not null)
            throw new ArgumentException($"Give --torch (timings made elsewhere) or --torch-python (time torch.export here), not both.\n{Usage}");
        return options;
    }

    private static BenchOptions AddModel(BenchOptions options, List<string> models, string name)
    {
        models.Add(name);
        return options with { Models = models.ToArray() };
    }

    private static int PositiveOrZero(string text, string option) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 0
            ? n
            : throw new ArgumentException($"{option} takes a non-negative integer, got '{text}'.\n{Usage}");

    private static bool[] ParseMode(string text) => text switch
    {
        "strict" => [true],
        "non-strict" => [false],
        "both" => [true, false],
        _ => throw new ArgumentException($"--mode is strict, non-strict or both, got '{text}'.\n{Usage}"),
    };
}
