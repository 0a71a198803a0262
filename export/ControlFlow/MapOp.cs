using Graphport.Graphs;
using Graphport.Tracing;

namespace Graphport.ControlFlow;

/// <summary>map over the leading dimension: eagerly a loop and a stack; while exporting, one map_impl node with a body subgraph.</summary>
internal static class MapOp
{
    public static Tensor Apply(Func<Tensor, Tensor[], Tensor> fn, Tensor xs, Tensor[] args)
    {
        ArgumentNullException.ThrowIfNull(fn);
        ArgumentNullException.ThrowIfNull(xs);
        if (xs.Ndim == 0) throw new ArgumentException("map expects xs to have at least one dimension to map over, got a 0-dim tensor.");
        var tracer = Tracer.Current;
        if (tracer is null)
        {
            long n = xs.Sizes[0];
            if (n == 0) throw new ArgumentException("map over an empty leading dimension has no result shape; xs.Shape[0] must be >= 1.");
            return Torch.Stack(Enumerable.Range(0, (int)n).Select(i => fn(xs.Select(0, i), args)));
        }
        var sliceMeta = new TensorMeta(xs.DType, xs.Shape.Skip(1).ToArray());
        var operands = new List<Tensor> { xs }.Concat(args).ToList();
        var names = operands.Select(o => tracer.NodeOf(o).Name).ToList();
        var body = new Tracer(tracer.ShapeEnv, tracer.Strict, tracer);
        var x = body.AddInput(names[0], sliceMeta);
        var extra = args.Select((a, i) => body.AddInput(names[i + 1], tracer.Proxy(a).Meta)).ToArray();
        Tensor result;
        using (body.Activate())
            result = fn(x, extra);
        body.Graph.SetOutput([body.NodeOf(result)]);
        body.Graph.EliminateDeadCode();
        var lifted = body.LiftedFromParent.Select(p => p.Outer).ToList();
        int index = tracer.Graph.Subgraphs.Keys.Count(k => k.StartsWith("body_graph_", StringComparison.Ordinal));
        string name = $"body_graph_{index}";
        tracer.Graph.Subgraphs[name] = body.Graph;
        var bodyNode = tracer.Graph.AddGetAttr(name, null);
        var outMeta = new TensorMeta(result.DType, [xs.Shape[0], .. result.Shape]);
        var node = tracer.Graph.AddCall(HigherOrderTarget.Map,
            [bodyNode, new object?[] { tracer.NodeOf(xs) }, args.Concat(lifted).Select(a => (object?)tracer.NodeOf(a)).ToArray()], value: new[] { outMeta });
        node.Source = tracer.CurrentSource();
        node.ModuleStack = tracer.CurrentModuleStack();
        var item = tracer.Graph.AddCall(BuiltinTarget.GetItem, [node, 0L], value: outMeta);
        item.Source = node.Source;
        return tracer.MakeFake(outMeta, item);
    }
}
