using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// layer_norm as ONNX exporters (and hand-written modules) spell it out over the trailing dims:
/// m = mean(x, dims, keepdim); d = x − m; v = mean(d², dims, keepdim); y = d / sqrt(v + eps), then optionally
/// ·weight and +bias with constant per-element tensors. Each intermediate is read only by the next step, so a frozen
/// module runs the nine ops as one native_layer_norm at the first (the mean) and the others hand its result on.
/// <see cref="Nodes"/> are in graph order; <see cref="Predecessors"/> gives, for every node after the first, the node
/// of the pattern it reads whose value (the whole result, by then) it hands on.
/// </summary>
internal sealed record SpelledOutLayerNorm(Node Input, IReadOnlyList<Node> Nodes, IReadOnlyDictionary<Node, Node> Predecessors, long[] NormalizedShape,
    Node? Weight, Node? Bias, double Eps)
{
    /// <summary>The pattern that starts at this mean, or null. <paramref name="isConstant"/> says which nodes hold constant tensors.</summary>
    public static SpelledOutLayerNorm? At(Node mean, Func<Node, bool> isConstant)
    {
        if (!IsMean(mean, out var x, out var dims) || x.Value is not TensorMeta { DType: DType.Float32 or DType.Float64 } xMeta) return null;
        int rank = xMeta.Rank;
        var normalized = dims.Select(d => d < 0 ? d + rank : d).OrderBy(d => d).ToArray();
        // The reduced dims must be the trailing ones, of sizes known now (layer_norm takes its normalized shape as numbers).
        if (normalized.Length == 0 || normalized.Distinct().Count() != normalized.Length || normalized[0] != rank - normalized.Length || normalized[^1] != rank - 1) return null;
        if (xMeta.Shape.Skip(rank - normalized.Length).Any(s => s.AsConstant is null)) return null;
        long[] normalizedShape = xMeta.Shape.Skip(rank - normalized.Length).Select(s => s.AsConstant!.Value).ToArray();

        if (mean.Users is not [var sub] || !IsBinary(sub, "aten::sub.Tensor") || !ReferenceEquals(sub.Args[0], x) || !ReferenceEquals(sub.Args[1], mean)) return null;
        if (sub.Users.Count != 2) return null;
        var square = sub.Users.FirstOrDefault(u => IsSquare(u, sub));
        var divide = sub.Users.FirstOrDefault(u => IsBinary(u, "aten::div.Tensor") && ReferenceEquals(u.Args[0], sub));
        if (square is null || divide is null || square.Users is not [var variance] || !IsMean(variance, out var varianceInput, out var varianceDims)
            || !ReferenceEquals(varianceInput, square) || !SameDims(varianceDims, normalized, rank)) return null;
        if (variance.Users is not [var addEps] || addEps.Op?.Name is not ("aten::add.Tensor" or "aten::add.Scalar") || addEps.Kwargs.Count != 0
            || addEps.Args is not [Node epsBase, var epsArg] || !ReferenceEquals(epsBase, variance) || PointwiseChain.Number(epsArg) is not double eps || !(eps >= 0)) return null;
        if (addEps.Users is not [{ Op.Name: "aten::sqrt" } sqrt] || sqrt.Args is not [Node sqrtInput] || !ReferenceEquals(sqrtInput, addEps)) return null;
        if (sqrt.Users is not [var divideAgain] || !ReferenceEquals(divideAgain, divide) || !ReferenceEquals(divide.Args[1], sqrt)) return null;

        var nodes = new List<Node> { mean, sub, square, variance, addEps, sqrt, divide };
        var predecessors = new Dictionary<Node, Node> { [sub] = mean, [square] = sub, [variance] = square, [addEps] = variance, [sqrt] = addEps, [divide] = sqrt };
        Node last = divide;
        Node? weight = null, bias = null;
        if (AffineStep(last, "aten::mul.Tensor", normalizedShape, isConstant) is var (scale, scaleNode))
        {
            (weight, predecessors[scaleNode]) = (scale, last);
            nodes.Add(scaleNode);
            last = scaleNode;
        }
        if (AffineStep(last, "aten::add.Tensor", normalizedShape, isConstant) is var (shift, shiftNode))
        {
            (bias, predecessors[shiftNode]) = (shift, last);
            nodes.Add(shiftNode);
            last = shiftNode;
        }
        if (last.Value is not TensorMeta { DType: var outType } || outType != xMeta.DType) return null;
        return new SpelledOutLayerNorm(x, nodes, predecessors, normalizedShape, weight, bias, eps);
    }

    // The one user of `last` multiplying (or adding) it by a constant of exactly the normalized shape, either order.
    private static (Node Operand, Node Step)? AffineStep(Node last, string op, long[] normalizedShape, Func<Node, bool> isConstant)
    {
        if (last.Users is not [var step] || !IsBinary(step, op)) return null;
        var other = ReferenceEquals(step.Args[0], last) ? step.Args[1] : ReferenceEquals(step.Args[1], last) ? step.Args[0] : null;
        if (other is not Node operand || !isConstant(operand) || operand.Value is not TensorMeta meta) return null;
        var shape = meta.Shape.Select(s => s.AsConstant).ToArray();
        return shape.Length == normalizedShape.Length && shape.Zip(normalizedShape).All(p => p.First == p.Second) ? (operand, step) : null;
    }

    private static bool IsMean(Node node, out Node input, out long[] dims)
    {
        (input, dims) = (null!, []);
        if (node.Op?.Name != "aten::mean.dim" || node.Kwargs.Count != 0 || node.Args is not [Node x, var reduced, true] || NodeArgs.Longs(reduced) is not { } list) return false;
        (input, dims) = (x, list);
        return true;
    }

    private static bool SameDims(long[] dims, long[] normalized, int rank) =>
        dims.Select(d => d < 0 ? d + rank : d).OrderBy(d => d).SequenceEqual(normalized);

    private static bool IsSquare(Node node, Node of) =>
        (node.Op?.Name == "aten::pow.Tensor_Scalar" && node.Kwargs.Count == 0 && node.Args is [Node b, var e] && ReferenceEquals(b, of) && PointwiseChain.Number(e) == 2)
        || (IsBinary(node, "aten::mul.Tensor") && ReferenceEquals(node.Args[0], of) && ReferenceEquals(node.Args[1], of));

    private static bool IsBinary(Node node, string op) => node.Op?.Name == op && node.Kwargs.Count == 0 && node.Args.Length == 2;
}
