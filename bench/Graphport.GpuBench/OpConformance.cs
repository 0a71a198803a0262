using System.Diagnostics;
using System.Text.Json.Nodes;
using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;

namespace Graphport.GpuBench;

/// <summary>
/// ops.json: every <see cref="OpCases.All"/> case on the CUDA backend against the CPU backend, with the seed,
/// comparison and tolerance of tests/Graphport.Kernels.Tests/BackendOpTests.cs. Without a device the same cases
/// run on the CPU twin (the CUDA plan evaluated in C#), so the records still say something here.
/// </summary>
public static class OpConformance
{
    private const string WholeProgramOnCpu = "running the whole program on the CPU backend";

    public static string Run(BenchContext context)
    {
        var records = new JsonArray();
        var file = context.PathOf("ops.json");
        var root = new JsonObject
        {
            ["backend"] = context.Device is null ? "cpu-twin" : "cuda",
            ["reference"] = "cpu",
            ["device"] = context.DeviceMessage,
            ["cases"] = records,
        };
        int passed = 0;
        foreach (var op in OpCases.All)
        {
            var record = new JsonObject { ["name"] = op.Name };
            records.Add(record);
            if (context.SecondsLeft <= 0)
            {
                record["status"] = "skipped";
                record["problem"] = "time budget spent";
                continue;
            }
            try
            {
                if (RunCase(context, op, record)) passed++;
            }
            catch (Exception e)
            {
                record["status"] = "error";
                record["passed"] = false;
                record["error"] = JsonOut.Error(e);
            }
            context.Say($"op {op.Name}: {record["status"]}{(record["max_abs_diff"] is { } d ? $", max diff {d}" : "")}{(record["error"] is JsonObject err ? $" ({JsonOut.Cap(err["message"]?.GetValue<string>() ?? "", 200)})" : "")}");
            JsonOut.Write(file, root);
        }
        root["passed"] = passed;
        root["total"] = OpCases.All.Count;
        var indexCheck = IndexCheckProbe.Run(context);
        root["index_check"] = indexCheck;
        JsonOut.Write(file, root);
        context.Say($"index check: {(indexCheck["passed"]?.GetValue<bool>() == true ? "an id past the table was refused and the next call matched the CPU" : indexCheck.ToJsonString())}");
        return $"{passed} of {OpCases.All.Count} op cases passed on {root["backend"]}";
    }

    private static bool RunCase(BenchContext context, OpCase op, JsonObject record)
    {
        // The seed rule of BackendOpTests, so a failure here reproduces in `dotnet test` with the same inputs.
        Torch.ManualSeed(1000 + (ulong)op.Name.Length);
        var inputs = op.Inputs();
        var program = op.Export(inputs);
        record["inputs"] = JsonOut.Strings(inputs.Select(t => $"{t.DType.TorchName()}[{string.Join(", ", t.Shape.ToLongs())}]"));
        // A stateful case is called several times (each call reads the buffers the last one wrote): every call is
        // compared, and the record keeps the worst.
        var calls = op.InputsOfEveryCall(inputs);
        using var reference = new CpuBackend().Compile(program);
        var expected = calls.Select(c => reference.Run(c)).ToList();

        var log = new List<string>();
        IExecutionBackend backend = context.Device is null ? new CpuTwinBackend() : context.NewCudaBackend(log, o => o with { AllowTf32Convolutions = false });
        record["backend"] = backend.Name;
        var clock = Stopwatch.StartNew();
        using var compiled = backend.Compile(program);
        record["compile_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 2);
        clock.Restart();
        var actual = new List<IReadOnlyList<object?>> { compiled.Run(calls[0]) };
        record["first_run_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 2);
        clock.Restart();
        actual.AddRange(calls.Skip(1).Select(c => compiled.Run(c)));
        if (op.Calls == 1) compiled.Run(inputs);
        record["second_run_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds / Math.Max(1, op.Calls - 1), 3);
        if (op.Calls > 1) record["calls"] = op.Calls;

        var comparisons = expected.Zip(actual, OutputComparison.Of).ToList();
        var comparison = comparisons.FirstOrDefault(c => !c.Passes(op.Tolerance)) ?? comparisons.MaxBy(c => c.MaxDiff)!;
        comparison.WriteTo(record, op.Tolerance);
        Fallbacks(backend, compiled, log).WriteTo(record);
        bool ok = comparison.Passes(op.Tolerance);
        record["status"] = ok ? "passed" : "failed";
        return ok;
    }

    /// <summary>What ran on the CPU instead of the device: ops without a CUDA kernel, or the whole program.</summary>
    public static Fallback Fallbacks(IExecutionBackend backend, ICompiledProgram compiled, IReadOnlyList<string> log)
    {
        var hostOps = backend is CpuTwinBackend twin
            ? twin.Plans.SelectMany(p => p.HostOps).Distinct().ToList()
            : log.Where(m => m.Contains("has no CUDA kernel", StringComparison.Ordinal))
                .Select(m => m.Split(": ", 2).ElementAtOrDefault(1)?.Split(' ')[0] ?? m).Distinct().ToList();
        bool whole = log.Any(m => m.Contains(WholeProgramOnCpu, StringComparison.Ordinal)) || (backend.Name == "cuda" && compiled.GetType().Name != "CudaCompiledProgram");
        return new Fallback(whole, hostOps, log.ToList(), compiled.GetType().Name);
    }
}
