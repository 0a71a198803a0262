using Graphport.Graphs;

namespace Graphport.Kernels.Planning;

// A softmax with torch's _safe_softmax guard after it (SafeSoftmaxGuard) is planned as one safe softmax kernel: the
// kernel knows each row's maximum, -inf exactly when the guard holds, so the guard's second pass over the scores and
// its boolean reduction (which the device has no kernel for) go.
public sealed partial class FusionPlanner
{
    /// <summary>Whether <paramref name="softmax"/> feeds such a guard; if so, the guard's where node is planned as the
    /// softmax itself and its other nodes as nothing.</summary>
    private bool FindSafeSoftmaxGuard(Node softmax)
    {
        if (SafeSoftmaxGuard.Of(softmax) is not { } guard) return false;
        safeSoftmaxes[guard.Where] = softmax;
        safeSoftmaxGuards.UnionWith(guard.Guard);
        return true;
    }
}
