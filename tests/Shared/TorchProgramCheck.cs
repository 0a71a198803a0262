using System.Text.Json;
using System.Text.Json.Nodes;
using Graphport.OpReference;
using Graphport.Tests.Interop;

namespace Graphport.Tests.Shared;

/// <summary>
/// Hands programs Graphport exported to PyTorch: <see cref="Write"/> saves one as &lt;name&gt;.pt2 with
/// &lt;name&gt;.expected.json beside it (tests/fixtures/pt2's format: the inputs of each call and the flattened outputs
/// our own loaded program computes), and <see cref="Check"/> runs bench/torch/load_ours.py on the folder, which
/// loads each archive with torch.export.load, runs ep.module() on the inputs and compares, saves it again with
/// torch.export.save and loads it back, and runs run_decompositions(). Linked into the test projects that check
/// their programs this way (with TorchPython.cs and bench/Graphport.OpReference/ValueJson.cs).
/// </summary>
internal static class TorchProgramCheck
{
    /// <summary>The custom (non-ATen) ops a program's graphs call, subgraphs included, as namespace::name.</summary>
    public static IEnumerable<string> CustomOps(ExportedProgram program) => CustomOps(program.Graph).Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> CustomOps(Graphs.Graph graph) =>
        graph.Nodes.Where(n => n.Op is { Namespace: not "aten" }).Select(n => n.Op!.Name)
            .Concat(graph.Subgraphs.Values.SelectMany(CustomOps));

    /// <summary>The steps load_ours.py records for an archive that has cases; each must be "ok".</summary>
    public static readonly string[] Steps = ["load", "run", "torch_resave", "run_decompositions"];

    /// <summary>
    /// Saves the program, loads it back with <see cref="ExportedProgram.Load(string)"/>, runs the loaded program's
    /// module on each input list in order (one module, so buffer mutations carry over as they do in torch) and
    /// writes the inputs as they were before the call, the outputs it gave, and the inputs as the call left them.
    /// </summary>
    public static void Write(string folder, string name, ExportedProgram program, IEnumerable<object?[]> calls)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name + ".pt2");
        program.Save(path);
        var module = ExportedProgram.Load(path).Module();
        var cases = new JsonArray();
        foreach (var inputs in calls)
        {
            // Written before the call: a program that mutates its inputs must get in torch what it got here.
            var json = new JsonArray([.. inputs.Select(ValueJson.Structured)]);
            var outputs = ValueJson.Leaves(module.Invoke(inputs)).Select(v => v is Tensor t ? (JsonNode)ValueJson.Tensor(t) : ValueJson.Value(v));
            // And after: torch's module must write into the inputs what ours wrote (user input mutations).
            var after = new JsonArray([.. inputs.Select(ValueJson.Structured)]);
            cases.Add(new JsonObject { ["inputs"] = json, ["outputs"] = new JsonArray([.. outputs]), ["inputs_after"] = after });
        }
        var expected = new JsonObject
        {
            ["program"] = name + ".pt2",
            ["note"] = "Cases run in order on one ep.module() (buffers carry over). Outputs are the flattened pytree leaves.",
            ["cases"] = cases,
        };
        File.WriteAllText(Path.Combine(folder, name + ".expected.json"), expected.ToJsonString() + "\n");
    }

    /// <summary>
    /// Runs load_ours.py on the folder with torch; returns the archives it checked and "name: step: error" for every
    /// step of every archive that did not pass (a step that did not run at all counts as failed).
    /// </summary>
    /// <param name="prelude">Python run first (load_ours.py --prelude): registers the custom ops the programs call.</param>
    public static (List<string> Archives, List<string> Problems, string Output) Check(string folder, TimeSpan timeout, string? prelude = null)
    {
        string python = TorchPython.Require();
        string script = Path.Combine(TorchPython.RepositoryRoot(), "bench", "torch", "load_ours.py");
        string results = Path.Combine(folder, "load_ours.json");
        var arguments = new List<string> { script, folder, results };
        if (prelude is not null)
        {
            string file = Path.Combine(folder, "prelude.py");
            File.WriteAllText(file, prelude);
            arguments.AddRange(["--prelude", file]);
        }
        var (exit, output) = TorchPython.Run(python, timeout, [.. arguments]);
        if (exit != 0 || !File.Exists(results))
            throw new Xunit.Sdk.XunitException($"load_ours.py failed on {folder} ({exit}):\n{output}");

        using var json = JsonDocument.Parse(File.ReadAllText(results));
        var archives = new List<string>();
        var problems = new List<string>();
        foreach (var archive in json.RootElement.GetProperty("archives").EnumerateObject())
        {
            archives.Add(archive.Name);
            var steps = archive.Value.GetProperty("steps");
            foreach (string step in Steps)
            {
                if (!steps.TryGetProperty(step, out var record))
                    problems.Add($"{archive.Name}: {step} did not run");
                else if (record.GetProperty("status").GetString() != "ok")
                    problems.Add($"{archive.Name}: {step}: {(record.TryGetProperty("error", out var e) ? e.GetString() : record.ToString())}");
            }
            if (steps.TryGetProperty("check", out var check))
                problems.Add($"{archive.Name}: check: {(check.TryGetProperty("error", out var e) ? e.GetString() : check.ToString())}");
        }
        return (archives, problems, output);
    }
}
