using Graphport.Onnx;

namespace Graphport.Tests.Onnx;

/// <summary>
/// OnnxImporter.SupportedOps is what users read (graphport import onnx --list-ops): every op type this project's
/// tests import must be listed in it. The list below is written out by hand; extend it with each new op test.
/// </summary>
public class SupportedOpsTests
{
    private static readonly string[] TestedOps =
    [
        // Pointwise arithmetic, math, logic and casts (PointwiseOpTests, ExtraPointwiseOpTests).
        "Abs", "Acos", "Acosh", "Add", "Asin", "Asinh", "Atan", "Atanh", "Cast", "CastLike", "Cosh", "Div", "Dropout",
        "Equal", "Erf", "Exp", "Identity", "IsInf", "IsNaN", "Log", "Max", "Mean", "Min", "Mod", "Mul", "Neg", "Pow",
        "Sinh", "Sqrt", "Sub", "Sum", "Tan", "Where",
        // Activations (ActivationOpTests, ExtraActivationOpTests).
        "Celu", "Clip", "HardSigmoid", "LeakyRelu", "Mish", "Relu", "Selu", "Sigmoid", "Softmax", "Softsign", "Tanh",
        "ThresholdedRelu",
        // Matrices, convolutions, pooling, normalization, resizing.
        "AveragePool", "BatchNormalization", "Conv", "ConvTranspose", "Gemm", "GlobalAveragePool", "If", "LayerNormalization",
        "MatMul", "MaxPool", "Resize",
        // Reductions and scans (ReductionOpTests, ScanOpTests).
        "CumSum", "ReduceL1", "ReduceMean", "ReduceSum", "TopK",
        // Shapes, indexing, slicing and layout (ShapeOpTests, GatherOpTests, SliceJoinOpTests, LayoutOpTests).
        "Concat", "Constant", "ConstantOfShape", "DepthToSpace", "Expand", "Flatten", "Gather", "Pad", "Reshape", "Shape",
        "Slice", "SpaceToDepth", "Split", "Squeeze", "Tile", "Transpose", "Trilu", "Unsqueeze",
        // Loops, einsum, scatter and gather by index tuples (LoopOpTests, EinsumOpTests, ScatterGatherOpTests).
        "Einsum", "GatherND", "Loop", "NonZero", "OneHot", "Scatter", "ScatterElements", "ScatterND",
        // Recurrences, unrolled at import (RecurrentOpTests).
        "GRU", "LSTM", "RNN",
        // Normalizations without one ATen op, and the small ops beside them (ChannelNormalizationOpTests).
        "EyeLike", "GroupNormalization", "Hardmax", "LRN", "LpNormalization", "MeanVarianceNormalization", "ReverseSequence", "Shrink",
        // Losses of training exports (LossOpTests).
        "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss",
        // Quantized models: QDQ, dynamic quantization and the QOperator ops (QuantizationOpTests).
        "ConvInteger", "DequantizeLinear", "DynamicQuantizeLinear", "MatMulInteger", "QLinearConv", "QLinearMatMul", "QuantizeLinear",
    ];

    [Fact]
    public void Every_op_type_the_tests_import_is_listed_as_supported()
    {
        var supported = OnnxImporter.SupportedOps;
        var missing = TestedOps.Where(op => !supported.Contains(op)).ToList();
        Assert.True(missing.Count == 0, $"OnnxImporter.SupportedOps lacks {string.Join(", ", missing)}, which the op tests import.");
    }

    [Fact]
    public void The_list_of_supported_ops_is_sorted_without_duplicates()
    {
        var supported = OnnxImporter.SupportedOps.ToList();
        Assert.Equal(supported.Order(StringComparer.Ordinal).Distinct(), supported);
    }

    /// <summary>docs/onnx.md lists exactly the ops the importer supports (regenerate the line from `graphport import onnx --list-ops`).</summary>
    [Fact]
    public void The_docs_list_exactly_the_supported_ops()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Cluster.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var lines = File.ReadAllLines(Path.Combine(root!.FullName, "docs", "onnx.md"));
        int heading = Array.IndexOf(lines, "## Supported ops");
        Assert.True(heading >= 0, "docs/onnx.md has no '## Supported ops' section");
        string listed = lines.Skip(heading + 1).First(l => l.Length > 0).TrimEnd('.');
        Assert.Equal(OnnxImporter.SupportedOps, listed.Split(", "));
    }
}
