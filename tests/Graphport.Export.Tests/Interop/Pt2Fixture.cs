using System.Text.Json;
using System.Text.Json.Nodes;
using Graphport.OpReference;

namespace Graphport.Tests.Interop;

/// <summary>
/// One .pt2 archive with its &lt;name&gt;.expected.json (tests/fixtures/pt2/README.md): loaded with
/// ExportedProgram.Load, its cases run in order on one Module() (buffer mutations carry over), and every output leaf
/// compared with the recorded one - dtype, shape and values for tensors, equality for scalar leaves.
/// Inputs are tensors {dtype, shape, data}, lists (JSON arrays), {"tuple": [..]}, {"dict": {..}} or one-key
/// scalars ({"int": n}, {"float": x}, {"bool": b}, {"str": s}, {"none": null}); a case may add "kwargs" by name, and
/// "inputs_after" (the positional inputs after the call) where the program mutates its inputs.
/// Floats may be the strings "nan", "inf", "-inf", "-0.0".
/// </summary>
internal static class Pt2Fixture
{
    // Kernels differ from torch's in summation order (convolutions, attention), not in what they compute.
    private const double Rtol = 1e-5, Atol = 1e-5;

    /// <summary>Loads and runs the archive; returns how many cases ran. Throws with the archive's name on any difference.</summary>
    public static int Check(string archive) => Run(ExportedProgram.Load(archive), archive);

    /// <summary>Runs the cases of the archive's expected file on a loaded program; returns how many ran.</summary>
    public static int Run(ExportedProgram program, string archive) => Run(program.Module(), archive);

    /// <summary>The inputs of the archive's first expected case.</summary>
    public static object?[] FirstCaseInputs(string archive) =>
        JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(archive, ".expected.json")))!["cases"]![0]!["inputs"]!.AsArray().Select(ValueOf).ToArray();

    /// <summary>Runs the cases of the archive's expected file on a module of it (frozen or not); returns how many ran.</summary>
    public static int Run(ExportedModule module, string archive)
    {
        string name = Path.GetFileName(archive);
        var expected = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(archive, ".expected.json")))!;
        int caseIndex = 0;
        foreach (var call in expected["cases"]!.AsArray())
        {
            var inputs = call!["inputs"]!.AsArray().Select(ValueOf).ToArray();
            object? result = call["kwargs"] is JsonObject kwargs
                ? module.InvokeWithKwargs(inputs, kwargs.ToDictionary(kv => kv.Key, kv => ValueOf(kv.Value)))
                : module.Invoke(inputs);
            var outputs = ValueJson.Leaves(result).ToList();
            if (call["inputs_after"] is JsonArray after)
            {
                // The program mutates user inputs: the caller's tensors must hold what torch's ep.module() left in them.
                var held = ValueJson.Leaves(inputs).ToList();
                var wantedAfter = ValueJson.Leaves(after.Select(ValueOf).ToArray()).ToList();
                for (int i = 0; i < wantedAfter.Count; i++)
                    if (wantedAfter[i] is Tensor w && held[i] is Tensor h)
                        Assert.True(h.Shape.SequenceEqual(w.Shape) && Close(h, w), $"{name} case {caseIndex}: input leaf {i} after the call:\n{h}\nexpected\n{w}");
            }
            var wanted = call["outputs"]!.AsArray().Select(ValueOf).ToList();
            Assert.True(wanted.Count == outputs.Count, $"{name} case {caseIndex}: {outputs.Count} outputs, expected {wanted.Count}");
            for (int i = 0; i < wanted.Count; i++)
            {
                string where = $"{name} case {caseIndex} output {i}";
                if (wanted[i] is Tensor want)
                {
                    Assert.True(outputs[i] is Tensor, $"{where}: {Describe(outputs[i])}, expected a tensor");
                    var got = (Tensor)outputs[i]!;
                    Assert.True(got.DType == want.DType, $"{where}: {got.DType.TorchName()}, expected {want.DType.TorchName()}");
                    Assert.True(got.Shape.SequenceEqual(want.Shape), $"{where}: shape [{string.Join(", ", got.Shape)}], expected [{string.Join(", ", want.Shape)}]");
                    Assert.True(Close(got, want), $"{where} differs:\n{got}\nexpected\n{want}");
                }
                else
                {
                    Assert.True(Equals(Normalized(outputs[i]), wanted[i]), $"{where}: {Describe(outputs[i])}, expected {Describe(wanted[i])}");
                }
            }
            caseIndex++;
        }
        return caseIndex;
    }

    /// <summary>torch.allclose with equal_nan: same shape, NaN where NaN is expected, equal infinities, others within the tolerances.</summary>
    private static bool Close(Tensor got, Tensor want)
    {
        var a = got.ToArray<double>();
        var b = want.ToArray<double>();
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(a[i]) || double.IsNaN(b[i]))
            {
                if (double.IsNaN(a[i]) != double.IsNaN(b[i])) return false;
            }
            else if (double.IsInfinity(a[i]) || double.IsInfinity(b[i]))
            {
                if (a[i] != b[i]) return false;
            }
            else if (Math.Abs(a[i] - b[i]) > Atol + Rtol * Math.Abs(b[i])) return false;
        }
        return true;
    }

    /// <summary>An input or expected output in any of the forms above.</summary>
    public static object? ValueOf(JsonNode? json)
    {
        if (json is JsonArray list) return list.Select(ValueOf).ToList();
        if (json is not JsonObject o) throw new InvalidDataException($"unknown value form {json?.ToJsonString() ?? "null"} in an expected file");
        if (o.ContainsKey("dtype")) return TensorOf(o);
        if (o.Count != 1) throw new InvalidDataException($"unknown value form with keys {string.Join(", ", o.Select(kv => kv.Key))} in an expected file");
        var (kind, value) = o.First();
        return kind switch
        {
            "tuple" => value!.AsArray().Select(ValueOf).ToArray(),
            "dict" => value!.AsObject().ToDictionary(kv => kv.Key, kv => ValueOf(kv.Value)),
            "int" => (long)value!,
            "float" => Number(value!),
            "bool" => (bool)value!,
            "str" => (string)value!,
            "none" => null,
            _ => throw new InvalidDataException($"unknown value form '{kind}' in an expected file"),
        };
    }

    /// <summary>{dtype, shape, data} (values as exact doubles, bools as true/false, NaN/infinities/-0.0 as strings).</summary>
    private static Tensor TensorOf(JsonNode json)
    {
        var shape = json["shape"]!.AsArray().Select(s => (long)s!).ToArray();
        string dtypeName = (string)json["dtype"]!;
        var dtype = Enum.GetValues<DType>().FirstOrDefault(d => d.TorchName() == "torch." + dtypeName, (DType)(-1));
        Assert.True(Enum.IsDefined(dtype), $"unknown dtype '{dtypeName}' in an expected file");
        var data = json["data"]!.AsArray().Select(v => Number(v!)).ToArray();
        return Tensor.FromArray(data, shape).To(dtype);
    }

    private static double Number(JsonNode v) => v.GetValueKind() switch
    {
        JsonValueKind.True => 1.0,
        JsonValueKind.False => 0.0,
        JsonValueKind.String => (string)v! switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "-0.0" => -0.0,
            var s => throw new InvalidDataException($"unknown float string '{s}' in an expected file"),
        },
        _ => (double)v,
    };

    /// <summary>Scalar results as the expected file writes them: integers as long, floats as double.</summary>
    private static object? Normalized(object? value) => value switch
    {
        int i => (long)i,
        float f => (double)f,
        SymInt s => (long)s,
        _ => value,
    };

    private static string Describe(object? value) => value switch
    {
        null => "None",
        Tensor t => $"a {t.DType.TorchName()} tensor of shape [{string.Join(", ", t.Shape)}]",
        _ => $"{value} ({value.GetType().Name})",
    };
}
