using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Graphport.Tests.Serialization;

/// <summary>
/// The archives under tests/fixtures/pt2 (Graphport-made ones, and torch-made ones once make_fixtures.py has
/// been run with PyTorch) load and reproduce the outputs recorded next to them. The same expectations are what
/// make_fixtures.py checks torch.export.load against.
/// </summary>
public class CommittedFixtureTests
{
    private static string FixtureFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "pt2");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/fixtures/pt2 was not found above the test assembly.");
    }

    [Fact]
    public void Committed_archives_load_and_reproduce_their_expected_outputs()
    {
        string root = FixtureFolder();
        var archives = new[] { "graphport", "torch" }
            .Select(sub => Path.Combine(root, sub))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*.pt2"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(archives.Count(a => a.Contains($"{Path.DirectorySeparatorChar}graphport{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) >= 5,
            "the Graphport-made fixtures are missing; regenerate them as tests/fixtures/pt2/README.md says");
        foreach (var archive in archives)
        {
            var expected = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(archive, ".expected.json")))!;
            var module = ExportedProgram.Load(archive).Module();
            foreach (var call in expected["cases"]!.AsArray())
            {
                var inputs = call!["inputs"]!.AsArray().Select(t => (object?)TensorOf(t!)).ToArray();
                var outputs = Leaves(module.Invoke(inputs)).ToList();
                var wanted = call["outputs"]!.AsArray().Select(t => TensorOf(t!)).ToList();
                Assert.Equal(wanted.Count, outputs.Count);
                for (int i = 0; i < wanted.Count; i++)
                    Assert.True(outputs[i].AllClose(wanted[i], 1e-5, 1e-6), $"{Path.GetFileName(archive)}: output {i} differs:\n{outputs[i]}\n{wanted[i]}");
            }
        }
    }

    private static Tensor TensorOf(JsonNode json)
    {
        var shape = json["shape"]!.AsArray().Select(s => (long)s!).ToArray();
        var data = json["data"]!.AsArray().Select(v => (float)(double)v!).ToArray();
        Assert.Equal("float32", (string?)json["dtype"]);
        return Tensor.FromArray(data, shape);
    }

    private static IEnumerable<Tensor> Leaves(object? value) => value switch
    {
        Tensor t => [t],
        ITuple tuple => Enumerable.Range(0, tuple.Length).SelectMany(i => Leaves(tuple[i])),
        IDictionary dict => dict.Values.Cast<object?>().SelectMany(Leaves),
        IList list => list.Cast<object?>().SelectMany(Leaves),
        _ => [],
    };
}
