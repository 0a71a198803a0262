using Graphport.Tracing;

namespace Graphport.Onnx;

/// <summary>One node being imported: its input values, its attributes, and the conversions op handlers need.</summary>
internal sealed class OnnxNodeContext(OnnxNode node, long opset, OnnxValue?[] inputs, Func<ShapeValue, Tensor> materialize)
{
    public OnnxNode Node { get; } = node;

    /// <summary>The model's ai.onnx opset: several ops moved attributes to inputs between versions.</summary>
    public long Opset { get; } = opset;

    public int InputCount => inputs.Length;

    /// <summary>The values visible at this node (what a subgraph may read from the enclosing graph).</summary>
    public IReadOnlyDictionary<string, OnnxValue> Scope { get; init; } = new Dictionary<string, OnnxValue>();

    /// <summary>The model's inputs the program takes (not those fixed at import): what a message may suggest fixing.</summary>
    public IReadOnlyList<OnnxValueInfo> ModelInputs { get; init; } = [];

    /// <summary>Runs a subgraph (an If branch) in this node's scope, with some names bound to other values; returns its outputs.</summary>
    public Func<OnnxGraph, IReadOnlyDictionary<string, OnnxValue>, OnnxValue[]> RunBranch { get; init; } =
        (_, _) => throw new InvalidOperationException("This node cannot run subgraphs.");

    public bool Has(int i) => i < inputs.Length && inputs[i] is not null;

    public OnnxValue Value(int i) => Has(i) ? inputs[i]! : throw Fail($"needs input {i}, which is missing");

    /// <summary>Input i as a tensor (known sizes become a tensor constant).</summary>
    public Tensor Tensor(int i) => Value(i) switch
    {
        TensorValue t => t.Tensor,
        ShapeValue s => materialize(s),
        _ => throw Fail($"input {i} is not a tensor"),
    };

    public Tensor? OptionalTensor(int i) => Has(i) ? Tensor(i) : null;

    /// <summary>Input i as integers known while tracing, or null where they depend on tensor data.</summary>
    public ShapeValue? Known(int i)
    {
        if (!Has(i)) return null;
        return inputs[i] switch
        {
            ShapeValue s => s,
            TensorValue { Tensor: { IsFake: false } t } when t.DType.IsIntegral(includeBool: true) =>
                new ShapeValue(t.DType, t.Sizes, t.ToArray<long>().Select(v => (SymInt)v).ToArray()),
            _ => null,
        };
    }

    /// <summary>Input i as sizes (SymInts) that must be known while tracing: shapes, axes, pads.</summary>
    public SymInt[] Sizes(int i, string what) =>
        Known(i)?.Items ?? throw Fail($"computes its {what} (input {i}, '{Node.Inputs[i]}') from tensor data, which a traced program cannot do; " +
            "it must come from a constant or from Shape. Fix the input shapes (--static / StaticShapes) or simplify the model (onnx-simplifier) so the value is constant.");

    /// <summary>Input i as plain integers; symbolic entries are specialized (the program then fixes that size).</summary>
    public long[] Longs(int i, string what) => Sizes(i, what).Select(s => (long)s).ToArray();

    /// <summary>Input i as floating-point numbers known while tracing (a constant), or null.</summary>
    public double[]? ConstantDoubles(int i)
    {
        if (!Has(i)) return null;
        return inputs[i] switch
        {
            TensorValue { Tensor: { IsFake: false } t } => t.ToArray<double>(),
            ShapeValue s when s.IsConcrete => s.Items.Select(v => (double)(long)v).ToArray(),
            _ => null,
        };
    }

    public long Int(string name, long fallback) => Node.Attributes.TryGetValue(name, out var a) ? a.Int : fallback;

    public float Float(string name, float fallback) => Node.Attributes.TryGetValue(name, out var a) ? a.Float : fallback;

    public string String(string name, string fallback) => Node.Attributes.TryGetValue(name, out var a) ? a.String : fallback;

    public long[]? Ints(string name) => Node.Attributes.TryGetValue(name, out var a) ? a.Ints.ToArray() : null;

    public float[]? Floats(string name) => Node.Attributes.TryGetValue(name, out var a) ? a.Floats.ToArray() : null;

    public OnnxAttribute? Attr(string name) => Node.Attributes.GetValueOrDefault(name);

    /// <summary>An import error naming this node: "node 'Conv_3' (Conv) ...".</summary>
    public OnnxImportException Fail(string problem) => new($"ONNX node {Node.Describe()} {problem}.");

    /// <summary>Normalizes a possibly negative axis against a rank, rejecting axes out of range.</summary>
    public int Axis(long axis, int rank, string what = "axis")
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw Fail($"has {what} {axis}, outside the input's {rank} dimension(s)");
        return (int)a;
    }

    /// <summary>True while no input is a traced tensor: the op can run now on real data (constant folding).</summary>
    public bool AllInputsReal => inputs.All(v => v is not TensorValue { Tensor.IsFake: true } && v is not ShapeValue { IsConcrete: false });

    public static IDisposable Eagerly() => Tracer.Suspend();
}
