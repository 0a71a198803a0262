using System.Reflection;

namespace Graphport.Analysis;

/// <summary>
/// Walks user code from an entry method: each reachable (method, tainted-arguments) pair is interpreted once.
/// Callee summaries ("can it return a tainted value?") are computed on demand, depth-first, while a caller is being
/// interpreted; breaks are then collected breadth-first from the entry, so the entry's own breaks come first.
/// </summary>
internal sealed class CallGraphWalker
{
    // Generous for hand-written models; they stop pathological code (deep recursion of generic instantiations) from running away.
    private const int MaxSummaryDepth = 64;
    private const int MaxMethods = 4096;

    private readonly GraphBreakPolicy _policy;
    private readonly Dictionary<CalleeRequest, MethodAnalysis> _done = [];
    private readonly HashSet<CalleeRequest> _inProgress = [];
    private int _depth;

    public CallGraphWalker(GraphBreakPolicy policy) => _policy = policy;

    public IEnumerable<FoundBreak> Walk(MethodBase entry)
    {
        var start = new CalleeRequest(entry, 0);
        var queue = new Queue<CalleeRequest>([start]);
        var queued = new HashSet<CalleeRequest> { start };
        while (queue.TryDequeue(out var request))
        {
            if (Analyze(request) is not { } analysis)
                continue;
            foreach (var found in analysis.Breaks)
                yield return found;
            foreach (var callee in analysis.Callees)
            {
                if (queued.Add(callee))
                    queue.Enqueue(callee);
            }
        }
    }

    private MethodAnalysis? Analyze(CalleeRequest request)
    {
        if (_done.TryGetValue(request, out var known))
            return known;
        // A method already on the interpretation stack (recursion) has no summary yet; the caller falls back to "tainted in, tainted out".
        if (_inProgress.Contains(request) || _depth >= MaxSummaryDepth || _done.Count >= MaxMethods)
            return null;

        _inProgress.Add(request);
        _depth++;
        try
        {
            var resolver = new TokenResolver(request.Method);
            var body = ILMethodBody.TryLoad(request.Method, resolver);
            var analysis = body is null
                ? MethodAnalysis.Empty
                : new MethodInterpreter(request.Method, body, _policy, resolver, request.TaintedArguments, r => Analyze(r)?.ReturnsTaint).Run();
            _done[request] = analysis;
            return analysis;
        }
        finally
        {
            _depth--;
            _inProgress.Remove(request);
        }
    }
}
