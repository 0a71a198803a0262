using Graphport.Operators;

namespace Graphport.Onnx;

/// <summary>
/// The ONNX op types the importer understands, each as a handler that computes the node's outputs with ATen
/// ops (on fake tensors while tracing, on real ones when every input is a constant). One file per op family.
/// </summary>
internal static partial class OnnxOpTable
{
    public static readonly IReadOnlyDictionary<string, Func<OnnxNodeContext, OnnxValue[]>> Handlers = Build();

    private static Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> Build()
    {
        var table = new Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>>(StringComparer.Ordinal);
        AddPointwise(table);
        AddLinear(table);
        AddConvolution(table);
        AddPooling(table);
        AddNormalization(table);
        AddChannelNormalization(table);
        AddReductions(table);
        AddShapes(table);
        AddResize(table);
        AddIndexing(table);
        AddLayout(table);
        AddControlFlow(table);
        AddLoops(table);
        AddRecurrent(table);
        AddEinsum(table);
        AddScatterGather(table);
        AddQuantization(table);
        AddLosses(table);
        AddDetection(table);
        AddSpectral(table);
        return table;
    }

    private static OnnxValue[] One(Tensor t) => [new TensorValue(t)];

    private static OnnxValue[] One(OnnxValue v) => [v];

    private static Tensor Call(OpOverload op, params object?[] args) => Aten.Call(op, args);

    private static Tensor CallKw(OpOverload op, object?[] args, params (string, object?)[] kwargs) => Aten.CallKw(op, args, kwargs);

    /// <summary>A one-element real tensor that can be passed as a number (an epsilon, a scale) without changing the result's shape.</summary>
    private static bool IsScalarConstant(Tensor candidate, Tensor other) =>
        !candidate.IsFake && candidate.NumelLong == 1 && candidate.Ndim <= other.Ndim && candidate.DType == other.DType;

    private static object ScalarOf(Tensor t) => t.DType.IsFloatingPoint() ? t.ToArray<double>()[0] : t.DType == DType.Bool ? t.ToArray<bool>()[0] : (object)t.ToArray<long>()[0];
}
