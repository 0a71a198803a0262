using System.Text.Json.Nodes;

namespace Graphport.Tests.Interop;

/// <summary>
/// Runs a Python script with PyTorch (argv[1]: the JSON file it writes, argv[2]: a seed) and reads what it wrote;
/// tensors in it are {dtype, shape, data} as the expected files write them (<see cref="Tensor"/> reads one).
/// </summary>
internal static class TorchScriptJson
{
    public static JsonNode Run(string script, int seed)
    {
        string python = TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-torch-script-").FullName;
        try
        {
            string file = Path.Combine(folder, "script.py"), results = Path.Combine(folder, "results.json");
            File.WriteAllText(file, script);
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
