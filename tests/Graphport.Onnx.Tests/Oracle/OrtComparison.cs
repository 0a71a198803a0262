using System.Collections;
using System.Runtime.CompilerServices;
using Graphport.Onnx;

namespace Graphport.Tests.Onnx;

/// <summary>
/// Runs one model through ONNX Runtime and through Graphport's importer and asserts that every output agrees:
/// same count, element type and shape, values within the tolerance. A failure names the output, the worst element
/// (by its index in the shape), both values and how many elements were out of tolerance.
/// </summary>
public static class OrtComparison
{
    public static ExportedProgram Import(byte[] model, OnnxImportOptions? options = null) =>
        OnnxImporter.Import(OnnxModel.Parse(model), options);

    public static void AssertMatchesOrt(byte[] model, params ModelInput[] inputs) =>
        AssertMatchesOrt(model, inputs, Tolerance.Float32);

    public static void AssertMatchesOrt(byte[] model, ModelInput[] inputs, Tolerance tolerance, OnnxImportOptions? options = null) =>
        AssertRunMatchesOrt(Import(model, options).Module(), model, inputs, tolerance);

    /// <summary>Runs an already imported module, so one import can be checked at several input sizes.</summary>
    public static void AssertRunMatchesOrt(ExportedModule module, byte[] model, ModelInput[] inputs, Tolerance tolerance, string context = "")
    {
        var expected = OrtReference.Run(model, inputs);
        var actual = ProgramOutputs.InOrder(module.Invoke(inputs.Select(i => (object?)i.ToTensor()).ToArray()), expected.Select(e => e.Name).ToList());
        var where = context.Length > 0 ? $" ({context})" : "";
        Assert.True(expected.Count == actual.Count,
            $"ONNX Runtime gave {expected.Count} outputs ({string.Join(", ", expected.Select(e => e.Name))}), the imported program {actual.Count}{where}");
        for (int i = 0; i < expected.Count; i++) AssertOutput(expected[i], actual[i], tolerance, where);
    }

    private static void AssertOutput(OrtOutput expected, Tensor actual, Tolerance tolerance, string where)
    {
        var name = $"output '{expected.Name}'{where}";
        var dtype = ToDType(expected.ElemType);
        Assert.True(dtype == actual.DType, $"{name}: ONNX Runtime gives {expected.ElemType}, the imported program {actual.DType}");
        var shape = actual.Shape.ToLongs();
        Assert.True(expected.Shape.SequenceEqual(shape),
            $"{name}: ONNX Runtime gives shape [{string.Join(", ", expected.Shape)}], the imported program [{string.Join(", ", shape)}]");

        var e = ToDoubles(expected.Data);
        var a = actual.ToArray<double>();
        // Integers and bools carry no rounding: any difference is a wrong result.
        var exact = expected.ElemType is not (ElemType.Float or ElemType.Double or ElemType.Float16);
        int worst = -1, outside = 0;
        double worstExcess = 0;
        for (int i = 0; i < e.Length; i++)
        {
            if (e[i] == a[i] || (double.IsNaN(e[i]) && double.IsNaN(a[i]))) continue;
            double allowed = exact ? 0 : tolerance.Atol + tolerance.Rtol * Math.Abs(e[i]);
            double diff = Math.Abs(e[i] - a[i]);
            double excess = double.IsNaN(diff) ? double.PositiveInfinity : diff - allowed;
            if (excess <= 0) continue;
            outside++;
            if (worst < 0 || excess > worstExcess) (worst, worstExcess) = (i, excess);
        }
        // The message is only built on failure: an empty output has no element to name.
        if (outside == 0) return;
        Assert.Fail(
            $"{name}: {outside} of {e.Length} elements differ from ONNX Runtime beyond {(exact ? "exact equality" : tolerance.ToString())}; " +
            $"worst at [{string.Join(", ", ProgramOutputs.Unravel(worst, expected.Shape))}]: ONNX Runtime {e[worst]:R}, ours {a[worst]:R} " +
            $"(|diff| {Math.Abs(e[worst] - a[worst]):E2})");
    }

    private static DType ToDType(ElemType type) => type switch
    {
        ElemType.Float => DType.Float32,
        ElemType.Double => DType.Float64,
        ElemType.Float16 => DType.Float16,
        ElemType.Int64 => DType.Int64,
        ElemType.Int32 => DType.Int32,
        ElemType.Int8 => DType.Int8,
        ElemType.UInt8 => DType.UInt8,
        ElemType.Bool => DType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no Graphport dtype for this ONNX type"),
    };

    private static double[] ToDoubles(Array data) => data switch
    {
        float[] f => f.Select(x => (double)x).ToArray(),
        double[] d => d,
        long[] l => l.Select(x => (double)x).ToArray(),
        int[] i => i.Select(x => (double)x).ToArray(),
        bool[] b => b.Select(x => x ? 1.0 : 0.0).ToArray(),
        sbyte[] s when s.GetType() == typeof(sbyte[]) => s.Select(x => (double)x).ToArray(),
        byte[] u => u.Select(x => (double)x).ToArray(),
        _ => throw new ArgumentException($"no conversion from {data.GetType().Name}"),
    };
}
