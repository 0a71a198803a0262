using Graphport.Tests.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Graphport.Bench;

/// <summary>One float output of a model: its name, shape and flat row-major data.</summary>
public sealed record FloatOutput(string Name, long[] Shape, float[] Data);

/// <summary>
/// The baseline: one ONNX Runtime CPU session over a model file, fed the same inputs on every run. Unlike the tests'
/// oracle it keeps ORT's default graph optimizations, since this is the speed a user of ORT gets.
/// </summary>
public sealed class OrtModelRunner : IDisposable
{
    private readonly SessionOptions options;
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly List<string> inputNames;
    private readonly List<OrtValue> inputValues;
    private readonly List<string> outputNames;

    /// <param name="intraOpThreads">ORT's intra-op threads; 0 lets ORT choose (one per physical core).</param>
    public OrtModelRunner(string modelPath, IReadOnlyList<ModelInput> inputs, int intraOpThreads)
    {
        options = new SessionOptions { IntraOpNumThreads = intraOpThreads };
        session = new InferenceSession(modelPath, options);
        inputNames = inputs.Select(i => i.Name).ToList();
        // OrtValues over the arrays themselves (pinned): ORT reads them, never writes, so every run sees the same data.
        inputValues = inputs.Select(ToOrtValue).ToList();
        outputNames = session.OutputMetadata.Keys.ToList();
    }

    /// <summary>Runs once and copies the outputs out.</summary>
    public IReadOnlyList<FloatOutput> Run()
    {
        using var results = session.Run(runOptions, inputNames, inputValues, outputNames);
        return results.Select((value, i) =>
        {
            var info = value.GetTensorTypeAndShape();
            if (info.ElementDataType != TensorElementType.Float)
                throw new NotSupportedException($"Output '{outputNames[i]}' is {info.ElementDataType}; the benchmark compares float outputs.");
            return new FloatOutput(outputNames[i], info.Shape, value.GetTensorDataAsSpan<float>().ToArray());
        }).ToList();
    }

    /// <summary>Runs once for timing: outputs are allocated and released as a caller would, not copied.</summary>
    public void RunAndDiscard()
    {
        using var results = session.Run(runOptions, inputNames, inputValues, outputNames);
    }

    public void Dispose()
    {
        foreach (var value in inputValues) value.Dispose();
        runOptions.Dispose();
        session.Dispose();
        options.Dispose();
    }

    private static OrtValue ToOrtValue(ModelInput input) => input.Data switch
    {
        float[] f => OrtValue.CreateTensorValueFromMemory(f, input.Shape),
        long[] l => OrtValue.CreateTensorValueFromMemory(l, input.Shape),
        _ => throw new ArgumentException($"Input '{input.Name}' holds {input.Data.GetType().Name}; the benchmark's models take float or long inputs."),
    };
}
