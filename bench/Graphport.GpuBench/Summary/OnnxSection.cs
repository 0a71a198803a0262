using System.Text;
using System.Text.Json.Nodes;

namespace Graphport.GpuBench.Summary;

/// <summary>The real ONNX models on the CUDA backend (onnx.json): correctness against the interpreter and latency.</summary>
public static class OnnxSection
{
    public static void Append(StringBuilder md, JsonNode? onnx)
    {
        md.Append("## Real ONNX models (onnx.json)\n\n");
        if (onnx is null)
        {
            md.Append("onnx.json did not come back.\n\n");
            return;
        }
        md.Append($"{onnx.Get("correct").Text() ?? "0"} of {onnx.Get("compared").Text() ?? "0"} models match the CPU interpreter on `{onnx.Get("backend").Text()}` " +
                  $"(relative tolerance {onnx.Get("tolerance").Text()}); seeded standard-normal inputs; latency as in the zoo table." +
                  (onnx.Get("correct_in_float32").Number() is { } exact && exact > (onnx.Get("correct").Number() ?? 0)
                      ? $" {exact} match once their convolution GEMMs run in exact float32 instead of TF32 (the default, as PyTorch's cudnn.allow_tf32): `passed_float32` below is TF32's rounding, not a wrong kernel."
                      : "") + "\n\n");
        var table = new MarkdownTable("model", "input", "result", "max diff", "relative", "on CPU", "first run ms", "median ms", "p90 ms", "message");
        foreach (var m in onnx.Get("models").Items())
        {
            var onCpu = string.Join(", ", m.Get("host_ops").Items().Select(o => o.Text()));
            if (m.Get("fell_back_to_cpu").Bool() == true) onCpu = "whole program";
            table.Add(m.Get("model").Text(), m.Get("input").Text(), m.Get("status").Text(), MarkdownTable.Num(m.Get("max_abs_diff").Number()),
                MarkdownTable.Num(m.Get("relative_diff").Number()), onCpu, MarkdownTable.Num(m.Get("first_run_ms").Number()),
                MarkdownTable.Num(m.Path("latency", "median_ms").Number()), MarkdownTable.Num(m.Path("latency", "p90_ms").Number()),
                m.Get("problem").Text() ?? m.Path("error", "message").Text() ?? Float32Check(m));
        }
        md.Append(table).Append('\n');
    }

    private static string? Float32Check(JsonNode m) => m.Get("float32_check") is { } check
        ? $"exact float32 convolutions: max diff {MarkdownTable.Num(check.Get("max_abs_diff").Number())} ({(check.Get("passed").Bool() == true ? "within" : "outside")} the tolerance)"
        : null;
}
