using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// A constant bias per channel added to a convolution's output by an add node of its own, the bias shaped to
/// broadcast along dim 1 ([C, 1, 1] or [1, C, 1, 1]): how ONNX exporters write a transposed convolution's bias
/// (PP-OCR's detection head adds it, then a batch norm, then a ReLU). A frozen module folds it into the convolution's
/// bias, and the add hands the convolution's output on.
/// </summary>
internal sealed record ChannelBiasAdd(Node Add, Tensor Bias)
{
    private const string AddOp = "aten::add.Tensor";

    /// <param name="end">The node whose value is the convolution's output as the graph reads it.</param>
    /// <param name="channels">The convolution's output channels.</param>
    public static ChannelBiasAdd? After(Node end, long channels, IReadOnlyDictionary<Node, Tensor> constant)
    {
        if (end.Users is not [{ Op.Name: AddOp } add] || add.Kwargs.Count != 0 || add.Args.Length != 2) return null;
        var other = ReferenceEquals(add.Args[0], end) ? add.Args[1] : ReferenceEquals(add.Args[1], end) ? add.Args[0] : null;
        if (other is not Node node || ReferenceEquals(node, end) || !constant.TryGetValue(node, out var bias)) return null;
        if (end.Value is not TensorMeta output || add.Value is not TensorMeta sum || output.DType != bias.DType || sum.DType != output.DType
            || !output.Shape.AsSpan().SequenceEqual(sum.Shape)) return null;
        // Right-aligned against the output's dims, the bias covers dim 1 with the channels and is 1 everywhere else.
        var sizes = bias.Sizes;
        int rank = output.Shape.Length;
        if (rank < 2 || sizes.Length > rank || sizes.Length < rank - 1) return null;
        for (int i = 0; i < sizes.Length; i++)
            if (sizes[i] != (rank - sizes.Length + i == 1 ? channels : 1)) return null;
        return new ChannelBiasAdd(add, bias.Reshape([channels]).Contiguous());
    }
}
