using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Graphport.Tests.Interop;

/// <summary>
/// One .pt2 archive with its &lt;name&gt;.expected.json (tests/fixtures/pt2/README.md): loaded with
/// ExportedProgram.Load, its cases run in order on one Module() (buffer mutations carry over), and every output leaf
/// compared with the recorded one - dtype, shape and values.
/// </summary>
internal static class Pt2Fixture
{
    // Kernels differ from torch's in summation order (convolutions, attention), not in what they compute.
    private const double Rtol = 1e-5, Atol = 1e-5;

    /// <summary>Loads and runs the archive; returns how many cases ran. Throws with the archive's name on any difference.</summary>
    public static int Check(string archive)
    {
        string name = Path.GetFileName(archive);
        var expected = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(archive, ".expected.json")))!;
        var module = ExportedProgram.Load(archive).Module();
        int caseIndex = 0;
        foreach (var call in expected["cases"]!.AsArray())
        {
            var inputs = call!["inputs"]!.AsArray().Select(t => (object?)TensorOf(t!)).ToArray();
            var outputs = Leaves(module.Invoke(inputs)).ToList();
            var wanted = call["outputs"]!.AsArray().Select(t => TensorOf(t!)).ToList();
            Assert.True(wanted.Count == outputs.Count, $"{name} case {caseIndex}: {outputs.Count} outputs, expected {wanted.Count}");
            for (int i = 0; i < wanted.Count; i++)
            {
                Assert.True(outputs[i].DType == wanted[i].DType, $"{name} case {caseIndex} output {i}: {outputs[i].DType.TorchName()}, expected {wanted[i].DType.TorchName()}");
                Assert.True(outputs[i].AllClose(wanted[i], Rtol, Atol), $"{name} case {caseIndex} output {i} differs:\n{outputs[i]}\nexpected\n{wanted[i]}");
            }
            caseIndex++;
        }
        return caseIndex;
    }

    /// <summary>{dtype, shape, data} as make_fixtures.py writes it (values as exact doubles).</summary>
    private static Tensor TensorOf(JsonNode json)
    {
        var shape = json["shape"]!.AsArray().Select(s => (long)s!).ToArray();
        string dtypeName = (string)json["dtype"]!;
        var dtype = Enum.GetValues<DType>().FirstOrDefault(d => d.TorchName() == "torch." + dtypeName, (DType)(-1));
        Assert.True(Enum.IsDefined(dtype), $"unknown dtype '{dtypeName}' in an expected file");
        var data = json["data"]!.AsArray().Select(v => v!.GetValueKind() == System.Text.Json.JsonValueKind.True ? 1.0
            : v.GetValueKind() == System.Text.Json.JsonValueKind.False ? 0.0 : (double)v).ToArray();
        return Tensor.FromArray(data, shape).To(dtype);
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
