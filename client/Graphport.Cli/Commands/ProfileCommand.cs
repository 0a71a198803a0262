using System.Globalization;

namespace Graphport.Cli.Commands;

/// <summary>
/// graphport profile: where one CPU call of a program spends its time, as torch.profiler's key_averages table of
/// one step: the program runs frozen (as executors run it) on random inputs of its exported shapes (a zoo model's
/// at --batch), warms up (--warmup seconds), then the median of --runs profiled calls is printed per op and for its
/// slowest nodes.
/// </summary>
public sealed class ProfileCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["profile"];

    public string Arguments => LocalProgramSource.Syntax + " [--batch N] [--runs N] [--top N] [--warmup SECONDS] [--unfrozen] [--json]";

    public string Summary => "Run a program on the CPU as executors do and print where a call's time goes, per op and per node.";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "--unfrozen", "--json" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "--batch", "--runs", "--top", "--warmup" };

    public int Run(CommandArguments arguments, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        if (arguments.Positionals.Count != 1)
            throw new UsageException("Name one program: zoo:NAME (a zoo model) or the path of a .pt2 file, e.g. graphport profile zoo:resnet18.");
        long batch = arguments.WholeNumber("--batch", 1, 1, 4096);
        int runs = (int)arguments.WholeNumber("--runs", 10, 1, 1000);
        int top = (int)arguments.WholeNumber("--top", 10, 0, 1000);
        if (LocalProgramSource.Load(arguments.Positionals[0], context) is not var (program, model)) return ExitCodes.Failure;
        if (model is null && arguments.Option("--batch") is not null)
            throw new UsageException("--batch applies to zoo models only; a .pt2 program runs at the shapes it was exported with.");

        Torch.ManualSeed(0);
        var inputs = model is not null ? model.ExampleInputs(batch) : ExportedShapeInputs(program);
        var module = program.Module();
        if (!arguments.Has("--unfrozen")) module.Freeze();
        // Warm up until .NET has recompiled the hot code optimized (tiered compilation, with profile-guided
        // instrumentation in between): three calls, and six seconds by default, as the ONNX bench does. On one core
        // that takes seconds: after two, MiniLM's softmaxes still took 1.5x their final time (2.4 ms, not 1.6), and
        // its call was flat enough meanwhile that waiting for it to stop improving stopped there too.
        int warmupSeconds = (int)arguments.WholeNumber("--warmup", 6, 0, 120);
        var warm = System.Diagnostics.Stopwatch.StartNew();
        int warmCalls = 0;
        for (; warmCalls < 3 || warm.Elapsed.TotalSeconds < warmupSeconds; warmCalls++) module.Invoke(inputs);
        var warmTime = warm.Elapsed;
        var profiles = Enumerable.Range(0, runs).Select(_ => module.Profile(inputs)).OrderBy(p => p.TotalMilliseconds).ToList();
        var median = profiles[profiles.Count / 2];

        if (arguments.Has("--json"))
        {
            context.Out.WriteLine(CliJson.Serialize(new
            {
                program = arguments.Positionals[0],
                frozen = !arguments.Has("--unfrozen"),
                runs,
                warmUp = new { calls = warmCalls, seconds = Math.Round(warmTime.TotalSeconds, 1) },
                totalMs = median.TotalMilliseconds,
                minTotalMs = profiles[0].TotalMilliseconds,
                reusedBuffers = median.ReusedBuffers,
                byTarget = median.ByTarget().Select(t => new { target = t.Target, calls = t.Calls, ms = t.Milliseconds }),
                nodes = median.Nodes,
            }));
            return ExitCodes.Success;
        }
        context.Out.WriteLine($"{arguments.Positionals[0]} on the CPU ({(arguments.Has("--unfrozen") ? "unfrozen" : "frozen, as executors run it")}): the median of {runs} profiled calls after {warmCalls} warm-up calls in {warmTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s; the fastest took {profiles[0].TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture)} ms.");
        context.Out.WriteLine();
        context.Out.Write(median.ToString());
        if (top > 0)
        {
            context.Out.WriteLine();
            context.Out.WriteLine($"Slowest {Math.Min(top, median.Nodes.Count)} nodes:");
            int width = Math.Max("node".Length, median.Nodes.Max(n => n.Node.Length));
            foreach (var node in median.Nodes.OrderByDescending(n => n.Milliseconds).Take(top))
                context.Out.WriteLine($"  {node.Node.PadRight(width)}  {node.Milliseconds.ToString("0.000", CultureInfo.InvariantCulture),9} ms  {node.Target}{(node.Frozen is { } how ? $" ({how})" : "")}");
        }
        return ExitCodes.Success;
    }

    // Random inputs of the shapes the program was exported with (each symbolic size at its example value).
    private static object?[] ExportedShapeInputs(ExportedProgram program)
    {
        var names = program.GraphSignature.InputSpecs.Where(s => s.Kind == InputKind.UserInput).Select(s => s.Arg.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = program.Graph.Placeholders.Where(p => names.Contains(p.Name)).Select(p => p.Value is TensorMeta meta
            ? (object?)InvokeCommand.RandomTensor(meta.DType, meta.Shape.Select(s => s.Hint).ToArray())
            : throw new UsageException($"Input {p.Name} of this program is not a tensor; profile runs programs of tensor inputs.")).ToArray();
        if (inputs.Length != program.CallSignature.InputTrees.Count)
            throw new UsageException($"This program's Forward takes {program.CallSignature.InputTrees.Count} arguments holding {inputs.Length} tensors (nested inputs); profile runs programs whose arguments are tensors.");
        return inputs;
    }
}
