using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// add(y, upsample_nearest2d(x, size, scales)) (or with the operands the other way round), the upsample read by the
/// add alone and its size and scales constants: a feature pyramid's top-down step, as PP-OCRv4 detection and U-Nets
/// write it. A frozen module runs both at the add (<see cref="Graphport.Cpu.UpsampleKernels.AddNearest2x"/> when the upsample
/// is exactly 2×: one pass, without writing the upsampled tensor), and the upsample hands on x.
/// </summary>
internal sealed record UpsampledAdd(Node Add, Node Upsample, Node Other, bool UpsampleFirst)
{
    /// <summary>The pattern whose add is this node, or null.</summary>
    public static UpsampledAdd? At(Node add)
    {
        if (add.Op?.Name != "aten::add.Tensor" || add.Kwargs.Count != 0 || add.Args is not [Node left, Node right]) return null;
        if (add.Value is not TensorMeta { DType: DType.Float32, Shape.Length: 4 } output) return null;
        bool upsampleFirst = IsUpsample(left);
        var (upsample, other) = upsampleFirst ? (left, right) : IsUpsample(right) ? (right, left) : (null, null);
        if (upsample is null || other is null || ReferenceEquals(upsample, other)) return null;
        return NodeArgs.HasMeta(upsample, output) && NodeArgs.HasMeta(other, output) ? new UpsampledAdd(add, upsample, other, upsampleFirst) : null;
    }

    // An upsample_nearest2d of a float32 tensor with constant size and scales, read by one node.
    private static bool IsUpsample(Node node) =>
        node.Op?.Name == "aten::upsample_nearest2d.vec" && node.Kwargs.Count == 0 && node.Users.Count == 1 && node.Args.Length == 3
        && node.Args[0] is Node { Value: TensorMeta { DType: DType.Float32 } } && !Graph.NodesIn(node.Args.Skip(1)).Any();
}
