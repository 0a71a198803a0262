using System.Runtime.InteropServices;
using Graphport.Bench;

// Export-time benchmark (issue point 9). Usage:
//   dotnet run -c Release --project bench/Graphport.Bench -- export [--warmup N] [--runs N] [--json out.json]
//       [--torch bench/results/torch_export.json | --torch-python tools/torch/python] [--mode strict|non-strict|both]
//       [--model NAME ...] [--no-verify]
// ONNX models on our CPU interpreter vs ONNX Runtime (Onnx/OnnxBench.cs):
//   dotnet run -c Release --project bench/Graphport.Bench -- onnx [--model NAME ...] [--runs N] [--warmup N] [--json out.json]
// ResNet-18's convolution layers one at a time, our Convolution.Conv2d vs a one-node ONNX Conv in ONNX Runtime (Onnx/ConvLayerBench.cs):
//   dotnet run -c Release --project bench/Graphport.Bench -- conv [--runs N] [--layer NAME ...]
// Token-by-token decoding with a static key/value cache, our frozen module vs PyTorch's ep.module() on the same archive (DecodeBench.cs):
//   dotnet run -c Release --project bench/Graphport.Bench -- decode [--torch-python tools/torch/python] [--cache N] [--tokens N] [--decomposed core|core-gqa] [--json out.json]
if (args.Length > 0 && args[0] == "onnx") return OnnxBench.Run(args);
if (args.Length > 0 && args[0] == "conv") return ConvLayerBench.Run(args);
if (args.Length > 0 && args[0] == "decode") return DecodeBench.Run(args);

BenchOptions options;
TorchResults? torch;
IReadOnlyList<BenchCase> cases;
try
{
    options = BenchOptions.Parse(args);
    cases = BenchCases.Select(options.Models);
    torch = options.TorchPath is { } path ? TorchResults.Load(path) : null;
}
catch (Exception e) when (e is ArgumentException or IOException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

#if DEBUG
Console.Error.WriteLine("warning: Debug build; timings are only meaningful with -c Release.");
#endif
Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores; " +
    $"warmup {options.Warmup}, runs {options.Runs}, example batch {BenchCase.ExampleBatch} (dynamic)");

var timings = new List<ExportTiming>();
foreach (var benchCase in cases)
{
    foreach (bool strict in options.StrictModes)
    {
        var timing = ExportRunner.Run(benchCase, strict, options.Warmup, options.Runs, options.Verify);
        Console.WriteLine($"  {timing.Key}: {timing.Nodes} nodes, median {timing.MedianMs:0.0} ms" +
            (timing.MaxAbsDiff is double d ? $", max |ep - eager| = {d:G3} (max |eager| = {timing.OutputScale:G3})" : ""));
        timings.Add(timing);
    }
}

string? torchSource = options.TorchPath;
if (options.TorchPython is { } python)
{
    string torchJson = options.JsonPath is { } ours ? Path.ChangeExtension(ours, null) + ".torch.json" : Path.Combine(Path.GetTempPath(), "graphport-bench-torch-export.json");
    Console.WriteLine();
    Console.WriteLine($"torch.export on this machine ({python} bench/torch/export_time.py):");
    try
    {
        torch = TorchExportPeer.Run(python, cases, options.Warmup, options.Runs, torchJson);
        torchSource = $"{torchJson}, measured here after Graphport";
    }
    catch (IOException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}

Console.WriteLine();
Console.Write(ResultTable.Format(timings, torch));
if (torch?.Version is { } version) Console.WriteLine($"torch.export: PyTorch {version}, from {torchSource}");
if (options.JsonPath is { } json)
{
    ResultsJson.Write(json, timings);
    Console.WriteLine($"wrote {json}");
}
return 0;
