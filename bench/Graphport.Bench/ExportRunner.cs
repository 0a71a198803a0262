using System.Diagnostics;
using static Graphport.Torch;

namespace Graphport.Bench;

/// <summary>
/// Times Torch.Export of one model: warmup exports (JIT, tiered compilation, caches), then timed exports of the
/// same module instance and example input, each with a fresh Dim("batch") spec as a user would write it.
/// </summary>
public static class ExportRunner
{
    public static ExportTiming Run(BenchCase benchCase, bool strict, int warmup, int runs, bool verify)
    {
        ManualSeed(0);
        var module = benchCase.Create();
        var example = Randn(benchCase.InputShape(BenchCase.ExampleBatch));

        ExportedProgram Export() => Torch.Export(module, [example], dynamicShapes: benchCase.DynamicBatch(), strict: strict);

        // The first export of a model is reported apart: it pays JIT and first-use costs a CLI would pay once.
        long firstStart = Stopwatch.GetTimestamp();
        var first = Export();
        double firstMs = Stopwatch.GetElapsedTime(firstStart).TotalMilliseconds;
        int nodes = first.Graph.Nodes.Count;
        (double MaxAbsDiff, double Scale)? check = verify ? Verification.Compare(module, first, benchCase) : null;

        for (int i = 0; i < warmup; i++) Export();

        var samples = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var program = Export();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            // A program that changes from run to run would make the median meaningless.
            if (program.Graph.Nodes.Count != nodes)
                throw new InvalidOperationException($"{benchCase.Name}: run {i} exported {program.Graph.Nodes.Count} nodes, the first export {nodes}.");
        }
        return new ExportTiming(benchCase.Name, strict, nodes, firstMs, samples, check?.MaxAbsDiff, check?.Scale);
    }
}
