namespace Graphport.Graphs;

/// <summary>
/// torch's _safe_softmax as attention decomposes to it (here and in torch): a softmax whose rows of nothing but -inf
/// (a query with every key masked out) come out zero, written as the softmax plus a guard,
/// <c>where(logical_not(any(logical_not(x == -inf), dim, keepdim)), 0, softmax(x, dim))</c> (the 0 a scalar_tensor
/// once decomposed). Backends that know a
/// row's maximum (-inf exactly when the guard holds) take the guard into their softmax instead of a second pass and a
/// boolean reduction: the where node then stands for the softmax, and the guard's nodes compute nothing.
/// </summary>
/// <param name="Where">The where node: its value is the safe softmax.</param>
/// <param name="Softmax">The _softmax node.</param>
/// <param name="Scores">The scores x, read by the softmax and by the guard.</param>
/// <param name="Guard">The guard's nodes, eq to the last logical_not, each read only by the next.</param>
public sealed record SafeSoftmaxGuard(Node Where, Node Softmax, Node Scores, IReadOnlyList<Node> Guard)
{
    /// <summary>The guard around <paramref name="softmax"/>, or null when no user of it is one.</summary>
    public static SafeSoftmaxGuard? Of(Node softmax)
    {
        if (softmax.Op?.Name != "aten::_softmax" || softmax.Args is not [Node x, var dimArg, ..]) return null;
        long rank = softmax.Value is TensorMeta meta ? meta.Shape.Length : -1;
        foreach (var where in softmax.Users)
        {
            // where.self with a scalar_tensor of 0 (decomposed), or where.ScalarSelf with the number (as traced).
            if (where.Args is not [Node notAny, var zero, Node s] || s != softmax) continue;
            bool zeroes = where.Op?.Name switch
            {
                "aten::where.self" => zero is Node { Op.Name: "aten::scalar_tensor", Args: [var value, ..] } && IsNumber(value, 0),
                "aten::where.ScalarSelf" => IsNumber(zero, 0),
                _ => false,
            };
            if (!zeroes) continue;
            if (notAny.Op?.Name != "aten::logical_not" || notAny.Args is not [Node any]) continue;
            if (any.Op?.Name != "aten::any.dim" || any.Args is not [Node notEq, var anyDim, true] || !SameDim(anyDim, dimArg, rank)) continue;
            if (notEq.Op?.Name != "aten::logical_not" || notEq.Args is not [Node eq]) continue;
            if (eq.Op?.Name != "aten::eq.Scalar" || eq.Args is not [Node input, var bound] || input != x || !IsNumber(bound, double.NegativeInfinity)) continue;
            Node[] guard = [eq, notEq, any, notAny];
            // Nothing else reads the guard's values, which it no longer computes.
            if (guard.Any(n => n.Users.Count != 1)) continue;
            return new SafeSoftmaxGuard(where, softmax, x, guard);
        }
        return null;
    }

    private static bool IsNumber(object? value, double expected) => value is double or long or int && Convert.ToDouble(value) == expected;

    private static bool SameDim(object? a, object? b, long rank) =>
        a is long x && b is long y && (x == y || (rank > 0 && (x < 0 ? x + rank : x) == (y < 0 ? y + rank : y)));
}
