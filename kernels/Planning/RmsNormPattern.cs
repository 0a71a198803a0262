using Graphport.Graphs;

namespace Graphport.Kernels.Planning;

/// <summary>
/// An RMS norm as transformers writes it (Llama, Mistral, Qwen, T5: <c>x * rsqrt(mean(x ** 2, -1, keepdim=True) +
/// eps)</c>, then <c>weight * that</c>), found from its mean node in the Core ATen graph. The planner computes it as one
/// row kernel (<see cref="NormKind.RmsNorm"/>) instead of a reduction and a pointwise kernel that reads every row
/// again; the nodes between compute nothing.
/// </summary>
/// <param name="Input">x: read by the square and by the product.</param>
/// <param name="Result">The node whose value is the norm: the product, or the weight's product after it.</param>
/// <param name="Weight">The 1-D weight the norm is multiplied by, or null.</param>
/// <param name="Parts">The nodes the norm computes no value of (the mean, the eps added, rsqrt, and the product when the
/// weight's product is the result), each read only by the next.</param>
internal sealed record RmsNormPattern(Node Input, Node Result, Node? Weight, double Epsilon, IReadOnlyList<Node> Parts)
{
    /// <summary>The RMS norm <paramref name="mean"/> starts, or null when it is not one.</summary>
    public static RmsNormPattern? Of(Node mean)
    {
        if (mean.Op?.Name != "aten::mean.dim" || mean.Args is not [Node square, var dims, true] || mean.Value is not TensorMeta meanMeta) return null;
        if (square.Args.ElementAtOrDefault(0) is not Node x || x.Value is not TensorMeta { DType: DType.Float32 or DType.Float64 } xMeta) return null;
        int rank = xMeta.Shape.Length;
        if (rank == 0 || meanMeta.DType != xMeta.DType || !LastDimOnly(dims, rank)) return null;
        bool squares = square.Op?.Name switch
        {
            "aten::pow.Tensor_Scalar" => square.Args is [_, var exponent] && IsNumber(exponent, 2),
            "aten::mul.Tensor" => square.Args is [_, Node other] && other == x,
            _ => false,
        };
        if (!squares || square.Users.Count != 1 || mean.Users.Count != 1) return null;
        var add = mean.Users[0];
        if (add.Op?.Name is not ("aten::add.Tensor" or "aten::add.Scalar") || add.Args is not [Node addend, var eps, ..] || addend != mean
            || eps is not (double or long or int) || add.Kwargs.Count > 0 || add.Users.Count != 1) return null;
        var rsqrt = add.Users[0];
        if (rsqrt.Op?.Name != "aten::rsqrt" || rsqrt.Users.Count != 1) return null;
        var product = rsqrt.Users[0];
        if (product.Op?.Name != "aten::mul.Tensor" || product.Args is not [Node a, Node b] || !((a == x && b == rsqrt) || (a == rsqrt && b == x))) return null;
        if (product.Value is not TensorMeta { } productMeta || productMeta.DType != xMeta.DType) return null;
        // weight * norm (or norm * weight) with a 1-D weight of the last dim's size and the same dtype: folded in.
        if (product.Users is [{ Op.Name: "aten::mul.Tensor", Args: [Node left, Node right] } scaled] && scaled.Value is TensorMeta { } scaledMeta
            && scaledMeta.DType == xMeta.DType && (left == product ? right : left) is { Value: TensorMeta { Shape.Length: 1 } weightMeta } weight
            && weight != product && weightMeta.DType == xMeta.DType && weightMeta.Shape[0].Equals(xMeta.Shape[^1]))
            return new RmsNormPattern(x, scaled, weight, Convert.ToDouble(eps), [mean, add, rsqrt, product]);
        return new RmsNormPattern(x, product, null, Convert.ToDouble(eps), [mean, add, rsqrt]);
    }

    /// <summary>The same norm without its weight: the product is the result, the weight's product left to its own node.</summary>
    public RmsNormPattern WithoutWeight() => Weight is null ? this : this with { Result = Parts[^1], Weight = null, Parts = Parts.Take(Parts.Count - 1).ToList() };

    private static bool LastDimOnly(object? dims, int rank)
    {
        var list = dims switch
        {
            long[] longs => longs.Cast<object?>().ToArray(),
            object?[] items => items,
            _ => null,
        };
        return list is [var only] && only is long or int && Convert.ToInt64(only) is var d && (d == rank - 1 || d == -1);
    }

    private static bool IsNumber(object? value, double expected) => value is double or long or int && Convert.ToDouble(value) == expected;
}
