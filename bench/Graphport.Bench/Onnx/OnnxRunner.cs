using System.Diagnostics;
using Graphport.Onnx;
using Graphport.Tests.Onnx;

namespace Graphport.Bench;

/// <summary>
/// Benchmarks one real model: imports it (timed once), times ONNX Runtime with its default threads on its own, then
/// times our CPU backend (the interpreter over a frozen module, as executors on the CPU run programs) and ONNX
/// Runtime with one intra-op thread in alternation, so a change in the machine's
/// load during the model's runs falls on both sides of the headline ratio. The default-threads session runs alone
/// because its worker threads spin after each run and would take a core from ours.
/// </summary>
public static class OnnxRunner
{
    private const int OrtWarmup = 5;

    private static readonly TimeSpan OursWarmupTime = TimeSpan.FromSeconds(6);

    public static OnnxTiming Run(OnnxModelCase model, int? runs, int warmup, Action<string> log)
    {
        string path = model.Locate();
        var inputs = model.Inputs();

        long importStart = Stopwatch.GetTimestamp();
        var options = model.Options();
        var program = OnnxImporter.Import(path, options);
        double importMs = Stopwatch.GetElapsedTime(importStart).TotalMilliseconds;
        log($"imported in {importMs:0} ms, {program.Graph.Nodes.Count} nodes");

        int oursRuns = runs ?? model.DefaultRuns;
        int ortRuns = runs ?? Math.Max(model.DefaultRuns, 50);

        IReadOnlyList<FloatOutput> expectedDefault;
        double[] ortDefault;
        using (var ort = new OrtModelRunner(path, inputs, intraOpThreads: 0))
        {
            expectedDefault = ort.Run();
            for (int i = 0; i < OrtWarmup; i++) ort.RunAndDiscard();
            ortDefault = Timed([(ortRuns, ort.RunAndDiscard)])[0];
        }
        log($"ONNX Runtime, default threads: median {Stats.Median(ortDefault):0.###} ms");

        using var ortOne = new OrtModelRunner(path, inputs, intraOpThreads: 1);
        var expectedOne = ortOne.Run();
        // Frozen, as CpuInterpreterBackend runs programs: batch norms folded into their convolutions once, as ORT's
        // default graph optimizations fold them.
        var module = program.Module().Freeze();
        // Inputs as tensors once, outside the timing, as ORT's OrtValues are; the program never writes its inputs.
        // Inputs fixed at import (Silero's sample rate) go to ONNX Runtime only: the program no longer takes them.
        var tensors = inputs.Where(i => options?.InputValues.ContainsKey(i.Name) != true).Select(i => (object?)i.ToTensor()).ToArray();
        long firstStart = Stopwatch.GetTimestamp();
        var result = module.Invoke(tensors);
        double firstMs = Stopwatch.GetElapsedTime(firstStart).TotalMilliseconds;
        double errorOne = OutputAgreement.PeakRelativeError(model.Name, expectedOne, result);
        double errorDefault = OutputAgreement.PeakRelativeError(model.Name, expectedDefault, result);
        log($"ours: first run {firstMs:0.#} ms, max |ours - ort| / peak |ort| = {errorOne:0.00E+0} (1 thread), {errorDefault:0.00E+0} (default threads)");

        // At least `warmup` runs and six seconds of them: .NET compiles a method again, optimized, only after it has
        // run a while (tiered compilation), so a few warm-up runs left most timed runs on the first, slower code; for
        // hello_deepa's short calls two seconds were not enough either (26 µs a call, 10 after six).
        var warming = Stopwatch.StartNew();
        for (int i = 0; i < warmup || warming.Elapsed < OursWarmupTime; i++) module.Invoke(tensors);
        for (int i = 0; i < OrtWarmup; i++) ortOne.RunAndDiscard();
        var samples = Timed([(oursRuns, () => module.Invoke(tensors)), (ortRuns, ortOne.RunAndDiscard)]);
        log($"ours: median {Stats.Median(samples[0]):0.###} ms; ONNX Runtime, 1 intra-op thread: median {Stats.Median(samples[1]):0.###} ms");

        return new OnnxTiming(model.Name, model.InputLabel, program.Graph.Nodes.Count, importMs, firstMs,
            samples[0], samples[1], ortDefault, errorOne, errorDefault);
    }

    /// <summary>
    /// Times each action its number of runs, the runs of all actions spread evenly over the same rounds
    /// (ours once, ORT about twice, ours once, ...), and returns each action's samples in milliseconds.
    /// </summary>
    private static double[][] Timed(IReadOnlyList<(int Runs, Action Run)> actions)
    {
        // A collection left over from setup or warm-up would land in the first timed runs.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int rounds = actions.Max(a => a.Runs);
        var samples = actions.Select(a => new double[a.Runs]).ToArray();
        for (int r = 0; r < rounds; r++)
        {
            for (int a = 0; a < actions.Count; a++)
            {
                var (runs, run) = actions[a];
                // Runs due by the end of round r, minus those done: 0 or more, summing to runs over all rounds.
                for (long k = (long)r * runs / rounds; k < (long)(r + 1) * runs / rounds; k++)
                {
                    long start = Stopwatch.GetTimestamp();
                    run();
                    samples[a][k] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }
        }
        return samples;
    }
}
