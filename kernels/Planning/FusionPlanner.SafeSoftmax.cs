using Graphport.Graphs;

namespace Graphport.Kernels.Planning;

// torch's _safe_softmax (what attention decomposes to, here and in torch): a softmax whose rows of nothing but -inf come
// out zero. Decomposed, it is the softmax plus a guard, where(logical_not(any(logical_not(x == -inf), dim, keepdim)),
// 0, softmax(x, dim)): a second pass over every row and a boolean reduction the device has no kernel for. The softmax
// kernel knows the row's maximum, which is -inf exactly when the guard holds, so it takes the guard over instead.
public sealed partial class FusionPlanner
{
    /// <summary>Whether the softmax <paramref name="softmax"/> feeds such a guard; if so, the guard's where node is
    /// planned as the softmax itself and its other nodes as nothing.</summary>
    private bool FindSafeSoftmaxGuard(Node softmax)
    {
        if (softmax.Args is not [Node x, var dimArg, ..]) return false;
        long rank = softmax.Value is TensorMeta meta ? meta.Shape.Length : -1;
        foreach (var where in softmax.Users)
        {
            if (where.Op?.Name != "aten::where.self" || where.Args is not [Node notAny, Node zero, Node s] || s != softmax) continue;
            if (zero.Op?.Name != "aten::scalar_tensor" || zero.Args is not [var value, ..] || Convert.ToDouble(value) != 0) continue;
            if (!Is(notAny, "aten::logical_not", out var any) || any.Op?.Name != "aten::any.dim" || any.Args.Length < 3) continue;
            if (!SameDim(any.Args[1], dimArg, rank) || any.Args[2] is not true) continue;
            if (!Is(any, "aten::any.dim", out var notEq) || !Is(notEq, "aten::logical_not", out var eq) || eq.Op?.Name != "aten::eq.Scalar") continue;
            if (eq.Args is not [Node input, var minusInfinity] || input != x || Convert.ToDouble(minusInfinity) != double.NegativeInfinity) continue;
            // The guard's nodes serve only the guard, so nothing else reads the values they no longer get.
            Node[] guard = [eq, notEq, any, notAny];
            if (guard.Any(n => n.Users.Count != 1)) continue;
            safeSoftmaxes[where] = softmax;
            safeSoftmaxGuards.UnionWith(guard);
            return true;
        }
        return false;
    }

    // The node's only tensor argument, when the node is that op.
    private static bool Is(Node node, string opName, out Node input)
    {
        input = node.Args is [Node first, ..] ? first : node;
        return node.Op?.Name == opName && node.Args is [Node, ..];
    }

    private static bool SameDim(object? a, object? b, long rank) =>
        a is long x && b is long y && (x == y || (rank > 0 && (x < 0 ? x + rank : x) == (y < 0 ? y + rank : y)));
}
