using System.Text;
using System.Text.Json.Nodes;
using static Graphport.GpuBench.Summary.MarkdownTable;

namespace Graphport.GpuBench.Summary;

/// <summary>
/// The zoo through what an executor grain on a GPU silo uses (executor.json): which backend the selector picked,
/// whether each model matched the CPU interpreter, and what the first call cost, since that is what a grain's
/// first request waits for.
/// </summary>
public static class ExecutorSection
{
    public static void Append(StringBuilder md, JsonNode? executor)
    {
        md.Append("## Executor grains' backend (executor.json)\n\n");
        if (executor is null)
        {
            md.Append("executor.json did not come back.\n\n");
            return;
        }
        var models = executor.Get("models").Items().ToList();
        int passed = models.Count(m => m.Get("passed").Bool() == true);
        md.Append($"`BackendSelector` over `CudaExecutionBackend` and the CPU interpreter for `{executor.Get("device").Text()}` picked `{executor.Get("backend").Text()}` " +
                  $"(runs on `{executor.Get("runs_on").Text()}`; {executor.Get("cuda_status").Text()}). {passed} of {models.Count} zoo models at batch 2 match the CPU interpreter " +
                  $"(relative tolerance {executor.Get("tolerance").Text()}); its kernel store held {executor.Get("kernel_store_files").Text() ?? "no"} CUBINs afterwards." +
                  (executor.Get("lost").Text() is { } lost ? $" **The backend lost its device: {lost}**" : "") + "\n\n");
        var table = new MarkdownTable("model", "backend", "result", "max diff", "relative", "compile ms", "first run ms", "message");
        foreach (var m in models)
            table.Add(m.Get("model").Text(), m.Get("backend").Text(), m.Get("passed").Bool() == true ? "passed" : "failed", Num(m.Get("max_abs_diff").Number()),
                Num(m.Get("relative_diff").Number()), Num(m.Get("compile_ms").Number()), Num(m.Get("first_run_ms").Number()), Cap(m.Path("error", "message").Text()));
        md.Append(table).Append('\n');
    }
}
