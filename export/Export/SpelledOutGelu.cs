using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// The exact GELU as ONNX exporters spell it out: u = x / √2 (or x·(1/√2)); e = erf(u); a = e + 1; then
/// (x·a)·0.5 or x·(a·0.5), each intermediate read only by the next step. A frozen module runs it as one gelu at
/// the first node (the scaling of x), and the others hand that on: one pass over memory instead of five.
/// <see cref="Nodes"/> are in pattern order, each after the first reading the one before it.
/// </summary>
internal sealed record SpelledOutGelu(Node Input, IReadOnlyList<Node> Nodes)
{
    private const double InverseSqrt2 = 0.70710678118654752440;

    /// <summary>The pattern that starts at this node, or null.</summary>
    public static SpelledOutGelu? At(Node scaled)
    {
        if (!IsBinary(scaled) || scaled.Args[0] is not Node x || x.Value is not TensorMeta { DType: DType.Float32 or DType.Float64 } xMeta) return null;
        // Within float32 rounding of 1/√2 as a factor or √2 as a divisor.
        bool halves = scaled.Op!.Name switch
        {
            "aten::div.Tensor" => PointwiseChain.Number(scaled.Args[1]) is double d && Math.Abs(d * InverseSqrt2 - 1) < 1e-6,
            "aten::mul.Tensor" => PointwiseChain.Number(scaled.Args[1]) is double m && Math.Abs(m / InverseSqrt2 - 1) < 1e-6,
            _ => false,
        };
        if (!halves || scaled.Users is not [{ Op.Name: "aten::erf" } erf] || erf.Args is not [Node erfInput] || !ReferenceEquals(erfInput, scaled)) return null;
        if (erf.Users is not [var plusOne] || plusOne.Op?.Name != "aten::add.Tensor" || !IsBinary(plusOne) || Other(plusOne, erf) is not { } one || PointwiseChain.Number(one) != 1) return null;
        if (plusOne.Users is not [var first] || first.Op?.Name != "aten::mul.Tensor" || !IsBinary(first) || first.Users is not [var second]
            || second.Op?.Name != "aten::mul.Tensor" || !IsBinary(second)) return null;
        // (x·a)·0.5, or x·(a·0.5).
        bool timesXThenHalf = ReferenceEquals(Other(first, plusOne), x) && PointwiseChain.Number(Other(second, first)) == 0.5;
        bool halfThenTimesX = PointwiseChain.Number(Other(first, plusOne)) == 0.5 && ReferenceEquals(Other(second, first), x);
        if (!timesXThenHalf && !halfThenTimesX) return null;
        return second.Value is TensorMeta { DType: var outType } && outType == xMeta.DType ? new SpelledOutGelu(x, [scaled, erf, plusOne, first, second]) : null;
    }

    // The operand of a two-operand node that is not `known` (null when neither or both are).
    private static object? Other(Node node, Node known) =>
        ReferenceEquals(node.Args[0], known) && !ReferenceEquals(node.Args[1], known) ? node.Args[1]
        : ReferenceEquals(node.Args[1], known) && !ReferenceEquals(node.Args[0], known) ? node.Args[0]
        : null;

    private static bool IsBinary(Node node) => node.Op is not null && node.Kwargs.Count == 0 && node.Args.Length == 2;
}
