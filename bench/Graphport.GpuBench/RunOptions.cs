using System.Globalization;

namespace Graphport.GpuBench;

/// <summary>What `run` does: where results go, which phases, and how long it may take.</summary>
public sealed record RunOptions(string OutDir, bool Quick, IReadOnlyList<string> Phases, double BudgetSeconds, int Runs, int Warmup)
{
    /// <summary>The phases in the order they run; "fault" last, since it loses the process's CUDA context on purpose.</summary>
    public static IReadOnlyList<string> AllPhases { get; } = ["device", "programs", "bandwidth", "ops", "zoo", "executor", "onnx", "profile", "fault"];

    /// <summary>Where the real ONNX models are (bench/gpu/prepare.sh puts them beside the app).</summary>
    public string OnnxDir { get; init; } = Path.Combine(AppContext.BaseDirectory, "onnx");

    /// <summary>The zoo's batch sizes: latency at one request and at a full serving batch.</summary>
    public static IReadOnlyList<long> Batches { get; } = [1, 32];

    /// <summary>--resume: the zoo phase keeps the models an earlier process wrote to zoo.json (after a lost CUDA context).</summary>
    public bool Resume { get; init; }

    public bool Has(string phase) => Phases.Contains(phase);

    public static RunOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException("run needs an output folder first.");
        string outDir = args[0];
        bool quick = false;
        IReadOnlyList<string> phases = AllPhases;
        double budget = 600;
        int? runs = null, warmup = null;
        string? onnxDir = null;
        bool resume = false;
        for (int i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--phase":
                    phases = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (phases.FirstOrDefault(p => !AllPhases.Contains(p)) is { } unknown)
                        throw new ArgumentException($"--phase: unknown phase \"{unknown}\"; phases are {string.Join(", ", AllPhases)}.");
                    break;
                case "--budget-s": budget = Positive(args[i], Value()); break;
                case "--runs": runs = (int)Positive(args[i], Value()); break;
                case "--warmup": warmup = (int)Positive(args[i], Value(), allowZero: true); break;
                case "--onnx-dir": onnxDir = Value(); break;
                case "--resume": resume = true; break;
                default: throw new ArgumentException($"run: unknown option {args[i]}.");
            }
        }
        var options = new RunOptions(outDir, quick, phases, budget, runs ?? (quick ? 5 : 50), warmup ?? (quick ? 1 : 5)) { Resume = resume };
        return onnxDir is null ? options : options with { OnnxDir = Path.GetFullPath(onnxDir) };
    }

    private static double Positive(string option, string text, bool allowZero = false) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && (v > 0 || allowZero && v == 0)
            ? v
            : throw new ArgumentException($"{option} takes a {(allowZero ? "non-negative" : "positive")} number, got \"{text}\".");
}
