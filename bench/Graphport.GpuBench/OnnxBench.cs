using System.Diagnostics;
using System.Text.Json.Nodes;
using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Onnx;

namespace Graphport.GpuBench;

/// <summary>
/// onnx.json: the real ONNX models that travel with the kit (bench/gpu/prepare.sh copies them into the publish
/// folder's onnx/; the device machine has no network), each imported, compiled on the CUDA backend, compared with
/// the CPU interpreter on seeded inputs and timed as ZooBench times. Without a device the CPU twin stands in and
/// nothing is timed (quick: the small model only). A model outside the tolerance on the device's defaults, whose
/// convolution GEMMs ran on TF32 tensor cores, is compiled again with exact float32 convolutions (float32_check):
/// that separates TF32's rounding (10-bit mantissas, as PyTorch's cudnn.allow_tf32 gives) from a wrong kernel.
/// </summary>
public static class OnnxBench
{
    /// <summary>
    /// A model file, its example input shapes (in the program's input order), the sizes its open dims trace at, and
    /// the inputs fixed at import (<see cref="OnnxImportOptions.InputValues"/>; the dims are then fixed too).
    /// </summary>
    public sealed record Case(string Name, string File, long[][] InputShapes, IReadOnlyDictionary<string, long> DimSizes, bool Small = false,
        IReadOnlyDictionary<string, double[]>? InputValues = null);

    public static IReadOnlyList<Case> Cases { get; } =
    [
        new("hello_deepa", "hello_deepa.onnx", [[1, 25, 96]], new Dictionary<string, long>(), Small: true),
        new("ppocr_v4_detection", "ch_PP-OCRv4_det_infer.onnx", [[1, 3, 320, 320]],
            new Dictionary<string, long> { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 320, ["p2o.DynamicDimension.2"] = 320 }),
        new("ppocr_v4_recognition", "ch_PP-OCRv4_rec_infer.onnx", [[1, 3, 48, 320]],
            new Dictionary<string, long> { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 320 }),
        // One 16 kHz chunk (512 samples after 64 of context) and the LSTM state; the sample rate fixed at import.
        new("silero_vad_v5", "silero_vad_v5.onnx", [[1, 576], [2, 1, 128]],
            new Dictionary<string, long> { ["input:0"] = 1, ["input:1"] = 576, ["state:1"] = 1 },
            InputValues: new Dictionary<string, double[]> { ["sr"] = [16000] }),
    ];

    public static string Run(BenchContext context)
    {
        var file = context.PathOf("onnx.json");
        var records = new JsonArray();
        var root = new JsonObject
        {
            ["backend"] = context.Device is null ? "cpu-twin" : "cuda",
            ["reference"] = "cpu",
            ["folder"] = context.Options.OnnxDir,
            ["tolerance"] = ZooBench.Tolerance,
            ["models"] = records,
        };
        int correct = 0, compared = 0, correctInFloat32 = 0;
        foreach (var c in Cases)
        {
            var record = new JsonObject { ["model"] = c.Name, ["input"] = string.Join(" ", c.InputShapes.Select(shape => $"[{string.Join(", ", shape)}]")) };
            records.Add(record);
            var path = Path.Combine(context.Options.OnnxDir, c.File);
            if (!File.Exists(path)) { record["status"] = "missing"; record["problem"] = $"{path} is not in the kit (bench/gpu/prepare.sh copies it)"; continue; }
            if (context.Device is null && context.Options.Quick && !c.Small) { record["status"] = "skipped"; record["problem"] = "quick run without a device: the twin runs the small model only"; continue; }
            if (context.SecondsLeft <= 5) { record["status"] = "skipped"; record["problem"] = "time budget spent"; continue; }
            try
            {
                compared++;
                if (RunCase(context, c, path, record)) correct++;
                if (record["status"]?.GetValue<string>() is "passed" or "passed_float32") correctInFloat32++;
            }
            catch (Exception e)
            {
                record["status"] = "error";
                record["error"] = JsonOut.Error(e);
            }
            context.Say($"onnx {c.Name}: {record["status"]}" + (record["max_abs_diff"] is { } d ? $", max diff {d}" : "") +
                (record["float32_check"] is JsonObject f ? $" (exact float32 convolutions: max diff {f["max_abs_diff"]})" : "") +
                (record["latency"] is JsonObject l ? $", median {l["median_ms"]} ms" : "") +
                (record["error"] is JsonObject err ? $" ({JsonOut.Cap(err["message"]?.GetValue<string>() ?? "", 300)})" : ""));
            JsonOut.Write(file, root);
        }
        root["correct"] = correct;
        root["compared"] = compared;
        root["correct_in_float32"] = correctInFloat32;
        JsonOut.Write(file, root);
        return $"{correct} of {compared} ONNX models match the interpreter on {root["backend"]}" +
            (correctInFloat32 > correct ? $" ({correctInFloat32} with exact float32 convolutions)" : "");
    }

    private static bool RunCase(BenchContext context, Case c, string path, JsonObject record)
    {
        var options = new OnnxImportOptions { StaticShapes = c.InputValues is not null };
        foreach (var (dim, size) in c.DimSizes) options.DimSizes[dim] = size;
        foreach (var (input, values) in c.InputValues ?? new Dictionary<string, double[]>()) options.InputValues[input] = values;
        var clock = Stopwatch.StartNew();
        var program = OnnxImporter.Import(path, options);
        record["import_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        record["nodes"] = program.Graph.Nodes.Count;
        Torch.ManualSeed(77);
        var inputs = c.InputShapes.Select(shape => Torch.Randn(shape)).ToArray();
        var expected = new CpuBackend().Compile(program).Run(inputs);
        var log = new List<string>();
        IExecutionBackend backend = context.Device is null ? new CpuTwinBackend() : context.NewCudaBackend(log);
        record["backend"] = backend.Name;
        clock.Restart();
        using var compiled = backend.Compile(program);
        var actual = compiled.Run(inputs);
        record["first_run_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        var comparison = OutputComparison.Of(expected, actual);
        comparison.WriteTo(record, ZooBench.Tolerance);
        bool ok = comparison.Passes(ZooBench.Tolerance);
        record["status"] = ok ? "passed" : "failed";
        lock (log) OpConformance.Fallbacks(backend, compiled, log).WriteTo(record);
        if (context.Device is not null) record["latency"] = ZooBench.Time(context, compiled, inputs, c.InputShapes[0][0]);
        if (!ok && backend is CudaBackend { Options.AllowTf32Convolutions: true } && comparison.Problem is null && context.SecondsLeft > 15)
        {
            // Outside the tolerance on TF32: the same program in exact float32 says whether the kernels are right.
            using var exact = context.NewCudaBackend(new List<string>(), o => o with { AllowTf32Convolutions = false }).Compile(program);
            var exactComparison = OutputComparison.Of(expected, exact.Run(inputs));
            var check = new JsonObject { ["what"] = "compiled again with AllowTf32Convolutions = false" };
            exactComparison.WriteTo(check, ZooBench.Tolerance);
            record["float32_check"] = check;
            if (exactComparison.Passes(ZooBench.Tolerance)) record["status"] = "passed_float32";
        }
        return ok;
    }
}
