using System.Runtime.InteropServices;

namespace Graphport.Bench;

/// <summary>
/// The "onnx" subcommand: the real models of shared/reference/models.md imported with OnnxImporter and run on our CPU
/// interpreter and in ONNX Runtime, in one process, so the ratios compare like with like.
/// </summary>
public static class OnnxBench
{
    public static int Run(string[] args)
    {
        OnnxBenchOptions options;
        IReadOnlyList<OnnxModelCase> cases;
        try
        {
            options = OnnxBenchOptions.Parse(args);
            cases = OnnxModelCases.Select(options.Models);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

#if DEBUG
        Console.Error.WriteLine("warning: Debug build; timings are only meaningful with -c Release.");
#endif
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores " +
            $"(our interpreter splits large kernels over all of them); ONNX Runtime {OrtVersion()}; " +
            $"runs {(options.Runs is int n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "per model")}, warmup {options.Warmup}");

        var timings = new List<OnnxTiming>();
        foreach (var model in cases)
        {
            Console.WriteLine($"{model.Name} ({model.InputLabel}):");
            timings.Add(OnnxRunner.Run(model, options.Runs, options.Warmup, line => Console.WriteLine($"  {line}")));
        }

        Console.WriteLine();
        Console.Write(OnnxResultTable.Format(timings));
        if (options.JsonPath is { } json)
        {
            OnnxResultsJson.Write(json, timings);
            Console.WriteLine($"wrote {json}");
        }
        return 0;
    }

    private static string OrtVersion() =>
        typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString(3) ?? "?";
}
