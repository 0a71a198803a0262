using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Graphport.GpuBench;

/// <summary>
/// `run`: the phases in order, each guarded (an exception is recorded in run.json and the next phase runs).
/// Each phase writes its own file as it goes, so a crash or a timeout keeps what was measured until then.
/// </summary>
public static class BenchRun
{
    public static int Run(RunOptions options)
    {
        using var context = new BenchContext(options);
        context.Say($"{context.DeviceMessage}; phases {string.Join(",", options.Phases)}; budget {options.BudgetSeconds:0} s{(options.Quick ? "; quick" : "")}");
        var runFile = context.PathOf($"run-{string.Join("-", options.Phases)}.json");
        var phases = new JsonObject();
        var summary = new JsonObject
        {
            ["started_utc"] = DateTime.UtcNow.ToString("o"),
            ["device"] = context.DeviceMessage,
            ["quick"] = options.Quick,
            ["phases"] = phases,
        };
        int failed = 0;
        bool contextLost = false;
        foreach (var phase in RunOptions.AllPhases.Where(options.Has))
        {
            if (contextLost)
            {
                phases[phase] = new JsonObject { ["status"] = "skipped", ["problem"] = "the CUDA context was lost in an earlier phase of this process" };
                failed++;
                continue;
            }
            var clock = Stopwatch.StartNew();
            var record = new JsonObject();
            phases[phase] = record;
            try
            {
                var note = RunPhase(phase, context);
                record["status"] = "done";
                if (note is not null) record["note"] = note;
            }
            catch (Exception e)
            {
                failed++;
                contextLost |= Graphport.Kernels.Runtime.CudaException.FindContextLoss(e) is not null;
                record["status"] = "error";
                record["error"] = JsonOut.Error(e);
                context.Say($"phase {phase} failed: {e.GetType().Name}: {JsonOut.Cap(e.Message, 500)}");
            }
            record["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2);
            JsonOut.Write(runFile, summary);
        }
        summary["seconds"] = Math.Round(context.ElapsedSeconds, 2);
        JsonOut.Write(runFile, summary);
        context.Say($"done: {phases.Count - failed} of {phases.Count} phases completed; results in {context.OutDir}");
        return contextLost ? ContextLostException.ExitCode : failed == 0 ? 0 : 1;
    }

    private static string? RunPhase(string phase, BenchContext context) => phase switch
    {
        "device" => DeviceReport.Write(context),
        "programs" => ZooPrograms.Save(context),
        "bandwidth" => Bandwidth.Run(context),
        "ops" => OpConformance.Run(context),
        "zoo" => ZooBench.Run(context),
        "executor" => ExecutorBench.Run(context),
        "onnx" => OnnxBench.Run(context),
        "profile" => ProfileBench.Run(context),
        "fault" => FaultProbe.Run(context),
        _ => throw new ArgumentException($"unknown phase {phase}"),
    };
}
