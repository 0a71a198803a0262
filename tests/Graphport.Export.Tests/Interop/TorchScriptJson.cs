using System.Text.Json.Nodes;

namespace Graphport.Tests.Interop;

/// <summary>
/// Runs a Python script with PyTorch (argv[1]: the JSON file it writes, argv[2]: a seed) and reads what it wrote;
/// tensors in it are {dtype, shape, data} as the expected files write them (<see cref="Tensor"/> reads one). Beside
/// the script lies <see cref="Helper"/> as graphport_results.py: a script ends with
/// <c>from graphport_results import save; save(out)</c> to write a dict of tensors.
/// </summary>
internal static class TorchScriptJson
{
    /// <summary>save(out): each tensor as {dtype, shape, data}, complex ones as their real pairs (a trailing dim of
    /// 2), NaN, infinities and −0.0 as the strings the expected files use (JSON has no literal for them).</summary>
    private const string Helper = """
        import json, sys
        import torch


        def number(v):
            if v != v:
                return "nan"
            if v in (float("inf"), -float("inf")):
                return "inf" if v > 0 else "-inf"
            return "-0.0" if v == 0 and str(v).startswith("-") else v


        def tensor_json(v):
            if v.is_complex():
                v = torch.view_as_real(v.resolve_conj())
            v = v.detach().contiguous()
            return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": [number(e) for e in v.flatten().tolist()]}


        def save(out):
            with open(sys.argv[1], "w") as f:
                json.dump({k: tensor_json(v) for k, v in out.items()}, f)
        """;

    public static JsonNode Run(string script, int seed)
    {
        string python = TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-torch-script-").FullName;
        try
        {
            string file = Path.Combine(folder, "script.py"), results = Path.Combine(folder, "results.json");
            File.WriteAllText(file, script);
            File.WriteAllText(Path.Combine(folder, "graphport_results.py"), Helper);
            var (exit, output) = TorchPython.Run(python, TimeSpan.FromMinutes(3), file, results, seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(exit == 0, $"torch failed ({exit}):\n{output}");
            return JsonNode.Parse(File.ReadAllText(results))!;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static Tensor Tensor(JsonNode node) => (Tensor)Pt2Fixture.ValueOf(node)!;
}
