using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Graphport.Tests.Onnx;

/// <summary>One output of a model as ONNX Runtime computed it: element type, shape and flat row-major data.</summary>
public sealed record OrtOutput(string Name, ElemType ElemType, long[] Shape, Array Data);

/// <summary>
/// The oracle: runs model bytes in ONNX Runtime on the CPU. One intra-op thread and no graph optimizations, so ORT
/// computes the graph as written (no fusions that round differently) and the same way on every run.
/// </summary>
public static class OrtReference
{
    public static IReadOnlyList<OrtOutput> Run(byte[] model, IReadOnlyList<ModelInput> inputs)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
        };
        using var session = new InferenceSession(model, options);
        var values = inputs.Select(ToOrtValue).ToList();
        try
        {
            var outputNames = session.OutputMetadata.Keys.ToList();
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, inputs.Select(i => i.Name).ToList(), values, outputNames);
            return results.Select((value, i) => ToOutput(outputNames[i], value)).ToList();
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    private static OrtValue ToOrtValue(ModelInput input) => input.Data switch
    {
        float[] f => OrtValue.CreateTensorValueFromMemory(f, input.Shape),
        long[] l => OrtValue.CreateTensorValueFromMemory(l, input.Shape),
        int[] i => OrtValue.CreateTensorValueFromMemory(i, input.Shape),
        bool[] b => OrtValue.CreateTensorValueFromMemory(b, input.Shape),
        double[] d => OrtValue.CreateTensorValueFromMemory(d, input.Shape),
        sbyte[] s when s.GetType() == typeof(sbyte[]) => OrtValue.CreateTensorValueFromMemory(s, input.Shape),
        byte[] u => OrtValue.CreateTensorValueFromMemory(u, input.Shape),
        _ => throw new ArgumentException($"Input '{input.Name}' holds {input.Data.GetType().Name}; the oracle feeds float, long, int, sbyte, byte, bool or double arrays."),
    };

    private static OrtOutput ToOutput(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => new(name, ElemType.Float, shape, value.GetTensorDataAsSpan<float>().ToArray()),
            TensorElementType.Double => new(name, ElemType.Double, shape, value.GetTensorDataAsSpan<double>().ToArray()),
            TensorElementType.Int64 => new(name, ElemType.Int64, shape, value.GetTensorDataAsSpan<long>().ToArray()),
            TensorElementType.Int32 => new(name, ElemType.Int32, shape, value.GetTensorDataAsSpan<int>().ToArray()),
            TensorElementType.Bool => new(name, ElemType.Bool, shape, value.GetTensorDataAsSpan<bool>().ToArray()),
            TensorElementType.UInt8 => new(name, ElemType.UInt8, shape, value.GetTensorDataAsSpan<byte>().ToArray()),
            TensorElementType.Int8 => new(name, ElemType.Int8, shape, value.GetTensorDataAsSpan<sbyte>().ToArray()),
            var other => throw new NotSupportedException($"Output '{name}' is {other}; the oracle reads float, double, int64, int32, int8, uint8 and bool outputs."),
        };
    }
}
