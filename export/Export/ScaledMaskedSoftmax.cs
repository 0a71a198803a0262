using Graphport.Cpu;
using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// A softmax over the last dim of scores scaled by a number and/or with a mask added, as transformers' attention
/// computes it and ONNX exporters write it: s = x / c (or x·c); t = s + mask; softmax(t, -1), each intermediate read
/// only by the next. A frozen module runs the three at the last node before the softmax (the add, or the scaling
/// where there is no mask; the nodes before it hand on x and the softmax hands on its result) with
/// <see cref="Normalization.ScaledMaskedSoftmax{T}"/>: one pass over the scores, the same numbers.
/// </summary>
internal sealed record ScaledMaskedSoftmax(Node Input, PointwiseStep? Scale, Node? Mask, IReadOnlyList<Node> Nodes)
{
    /// <summary>The node that computes the whole: the last one before the softmax.</summary>
    public Node ComputedAt => Nodes[^2];

    /// <summary>Where the computing node finds x: the scaling before it, which hands x on (x itself may be dead by
    /// then, the scaling its last reader), or x, which it reads.</summary>
    public Node ScoresAt => Nodes.Count == 3 ? Nodes[0] : Input;

    /// <summary>The pattern that ends at this softmax node, or null.</summary>
    public static ScaledMaskedSoftmax? At(Node softmax)
    {
        if (softmax.Op?.Name != "aten::_softmax" || softmax.Kwargs.Count != 0 || softmax.Args is not [Node scores, var dim, false]) return null;
        if (softmax.Value is not TensorMeta { DType: DType.Float32 or DType.Float64 } output || PointwiseChain.Number(dim) is not double d
            || (d != -1 && d != output.Shape.Length - 1) || output.Shape.Length == 0) return null;
        if (scores.Users.Count != 1 || !NodeArgs.HasMeta(scores, output)) return null;
        // With a mask: add(s, mask) or add(mask, s), s scaled or not.
        if (IsAdd(scores))
        {
            var (left, right) = ((Node)scores.Args[0]!, (Node)scores.Args[1]!);
            // The scaled operand is the scores; else the one with the output's shape (the other is broadcast into it).
            var (s, mask) = ScaleOf(left) is not null && left.Users.Count == 1 ? (left, right)
                : ScaleOf(right) is not null && right.Users.Count == 1 ? (right, left)
                : NodeArgs.HasMeta(left, output) ? (left, right) : (right, left);
            if (!NodeArgs.HasMeta(s, output) || mask.Value is not TensorMeta maskMeta || maskMeta.DType != output.DType || !BroadcastsInto(maskMeta, output)) return null;
            if (ScaleOf(s) is { } scaled && s.Users.Count == 1)
                return new ScaledMaskedSoftmax(scaled.Input, scaled.Step, mask, [s, scores, softmax]);
            return new ScaledMaskedSoftmax(s, null, mask, [scores, softmax]);
        }
        return ScaleOf(scores) is { } only ? new ScaledMaskedSoftmax(only.Input, only.Step, null, [scores, softmax]) : null;
    }

    // x·c or x/c, an elementwise chain's multiply or divide link (x of the result's dtype).
    private static PointwiseChain.Link? ScaleOf(Node node) =>
        PointwiseChain.LinkAt(node) is { Nodes.Length: 1, Step.Kind: PointwiseStep.Kinds.Multiply or PointwiseStep.Kinds.Divide } link ? link : null;

    private static bool IsAdd(Node node) => node.Op?.Name == "aten::add.Tensor" && node.Kwargs.Count == 0 && node.Args is [Node, Node];

    // Each of the mask's dims (aligned from the right) is 1 or the output's.
    private static bool BroadcastsInto(TensorMeta mask, TensorMeta output)
    {
        if (mask.Shape.Length > output.Shape.Length) return false;
        for (int i = 1; i <= mask.Shape.Length; i++)
        {
            var m = mask.Shape[^i];
            if (!(m is { IsSymbolic: false, Hint: 1 }) && !m.Equals(output.Shape[^i])) return false;
        }
        return true;
    }
}
