using System.Globalization;
using Graphport.Client;
using Graphport.Grains;
using Graphport.Zoo;

namespace Graphport.Cli.Commands;

/// <summary>
/// graphport bench: serving throughput and p50/p99 latency of a zoo model on an embedded silo, with dynamic
/// batching off and on, side by side in one process, and their ratios.
/// </summary>
public sealed class BenchCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["bench"];

    public string Arguments => "[--model NAME] [--callers N] [--requests N] [--warmup N] [--max-batch N] [--delay-ms X] [--json]";

    public string Summary => "Serve a zoo model to N concurrent callers on an embedded silo, batching off vs on: req/s, p50, p99, ratios.";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "--json" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "--model", "--callers", "--requests", "--warmup", "--max-batch", "--delay-ms" };

    public int Run(CommandArguments arguments, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        if (arguments.Positionals.Count > 0) throw new UsageException($"Unexpected argument '{arguments.Positionals[0]}'.");
        string model = arguments.Option("--model") ?? "mlp";
        if (ModelZoo.All.All(m => m.Name != model))
            throw new UsageException($"Unknown zoo model '{model}'. Models: {string.Join(", ", ModelZoo.All.Select(m => m.Name))}.");
        int callers = Count(arguments, "--callers", 32, 1);
        int perCaller = Count(arguments, "--requests", 50, 1);
        int warmup = (int)arguments.WholeNumber("--warmup", ServingLoad.DefaultWarmupPerCaller, 0, 100_000);
        int maxBatch = Count(arguments, "--max-batch", 32, 2);
        double delayMs = 2;
        if (arguments.Option("--delay-ms") is { } text
            && (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out delayMs) || delayMs < 0 || delayMs > 10_000))
            throw new UsageException($"--delay-ms must be a number of milliseconds from 0 to 10000, got '{text}'.");

        var off = ServingLoad.RunAsync("batching off", model, new BatchingOptions(), callers, perCaller, warmup).GetAwaiter().GetResult();
        var on = ServingLoad.RunAsync($"batching on (max {maxBatch}, {delayMs.ToString(CultureInfo.InvariantCulture)} ms)", model,
            new BatchingOptions { MaxBatchSize = maxBatch, MaxQueueDelay = TimeSpan.FromMilliseconds(delayMs) }, callers, perCaller, warmup).GetAwaiter().GetResult();

        if (arguments.Has("--json"))
        {
            context.Out.WriteLine(CliJson.Serialize(new { model, callers, requestsPerCaller = perCaller, warmupPerCaller = warmup, off, on, throughputRatio = on.Throughput / off.Throughput }));
            return ExitCodes.Success;
        }
        context.Out.WriteLine($"{model}: {callers} concurrent callers x {perCaller} batch-1 requests after {warmup} untimed each, {Environment.ProcessorCount} cores, one embedded silo");
        TextTable.Write(context.Out, ["CONFIGURATION", "REQ/S", "P50 MS", "P99 MS", "REQ/RUN"], new[] { off, on }.Select(r => (IReadOnlyList<string>)
        [
            r.Label,
            r.Throughput.ToString("F0", CultureInfo.InvariantCulture),
            r.P50Ms.ToString("F2", CultureInfo.InvariantCulture),
            r.P99Ms.ToString("F2", CultureInfo.InvariantCulture),
            r.MeanBatch.ToString("F1", CultureInfo.InvariantCulture),
        ]));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"batching on / off: throughput x{on.Throughput / off.Throughput:F2}, p50 x{on.P50Ms / off.P50Ms:F2}, p99 x{on.P99Ms / off.P99Ms:F2}"));
        return ExitCodes.Success;
    }

    private static int Count(CommandArguments arguments, string option, int fallback, int minimum) => (int)arguments.WholeNumber(option, fallback, minimum, 100_000);
}
