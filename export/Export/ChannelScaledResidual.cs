using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// add(x, mul(x, s)) (either operand order of both) with s one number per image and channel ([N, C, 1, 1] or
/// [1, C, 1, 1]) and the mul read by the add alone: a squeeze-and-excitation block's gate applied as a residual, as
/// PP-OCRv4 detection's feature pyramid writes it (x + x·hardsigmoid(…)). A frozen module runs both at the add in one
/// pass over x (<see cref="Graphport.Cpu.Pointwise.ChannelScaledResidual"/>), where the two ops read x twice from
/// memory and wrote and read the product in between. The mul computes it (x and the scales are live there; by the add
/// the scales may have been dropped) and the add hands it on.
/// </summary>
internal sealed record ChannelScaledResidual(Node Add, Node Multiply, Node X, Node Scale)
{
    /// <summary>The pattern whose add is this node, or null.</summary>
    public static ChannelScaledResidual? At(Node add)
    {
        if (add.Op?.Name != "aten::add.Tensor" || add.Kwargs.Count != 0 || add.Args is not [Node left, Node right]) return null;
        if (add.Value is not TensorMeta { DType: DType.Float32, Shape.Length: 4 } output) return null;
        foreach (var (x, product) in new[] { (left, right), (right, left) })
        {
            if (product.Op?.Name != "aten::mul.Tensor" || product.Kwargs.Count != 0 || product.Users.Count != 1 || product.Args is not [Node a, Node b]) continue;
            var scale = ReferenceEquals(a, x) ? b : ReferenceEquals(b, x) ? a : null;
            if (scale is null || ReferenceEquals(scale, x) || !NodeArgs.HasMeta(x, output) || !NodeArgs.HasMeta(product, output)) continue;
            if (scale.Value is not TensorMeta { DType: DType.Float32, Shape: { Length: 4 } dims }) continue;
            if (dims[2].Hint == 1 && dims[3].Hint == 1 && (dims[0].Hint == 1 || dims[0] == output.Shape[0]) && dims[1] == output.Shape[1])
                return new ChannelScaledResidual(add, product, x, scale);
        }
        return null;
    }
}
