using Graphport.Operators;

namespace Graphport.Graphs;

/// <summary>
/// Rewrites the torch.vmap regions of a loaded training-IR graph (<see cref="VmapTarget"/>) into plain ops, as torch's
/// run_decompositions does with its batching rules: a tensor given a batch dim is that dim moved to the front (a
/// permute); a pointwise op on batched tensors runs on them as they are, with the batch dim in front and size-one dims
/// after it where an operand has fewer dims than the result (the rest broadcast from the right, as before); the batch
/// dim taken back out is moved to where the caller asked (an unbatched result is expanded along it). The nodes inside
/// keep torch's per-example shapes in their metadata, which become the batched ones here.
/// Only pointwise ops are rewritten (what torch's associative_scan vmaps for a scan's combine function: Mamba's
/// multiply-add); any other op on a batched tensor, and vmap inside vmap, are refused naming what to do instead.
/// </summary>
internal static class VmapLowering
{
    public static void Lower(Graph graph, string where)
    {
        if (!graph.Nodes.Any(n => n.Target is VmapTarget)) return;
        // Nodes whose value carries the open level's batch dim in front: per-example rank.
        var batched = new Dictionary<Node, int>();
        object? batchSize = null;
        foreach (var node in graph.Nodes.ToList())
        {
            if (node.Target == VmapTarget.LazyLoadDecompositions)
            {
                graph.Remove(node);
            }
            else if (node.Target == VmapTarget.IncrementNesting)
            {
                if (batchSize is not null)
                    throw new InvalidDataException($"{where}: {node.Name} opens a torch.vmap inside another, which Graphport does not lower; save the program after ep.run_decompositions(), which removes vmap.");
                batchSize = node.Args.Length > 0 ? node.Args[0] : throw new InvalidDataException($"{where}: {node.Name} gives no batch size.");
                graph.Remove(node);
            }
            else if (node.Target == VmapTarget.DecrementNesting)
            {
                batchSize = null;
                batched.Clear();
                graph.Remove(node);
            }
            else if (node.Target == VmapTarget.AddBatchDim)
            {
                var (input, inDim) = (NodeOperands.Tensor(node, 0, where), (int)NodeOperands.Integer(node, 1, where));
                var size = batchSize ?? throw new InvalidDataException($"{where}: {node.Name} adds a batch dim outside a vmap level.");
                var perExample = node.TensorValue;
                int rank = perExample.Shape.Length + 1;
                inDim = inDim < 0 ? inDim + rank : inDim;
                var order = new object?[rank];
                order[0] = (long)inDim;
                for (int d = 0, k = 1; d < rank; d++)
                    if (d != inDim) order[k++] = (long)d;
                var front = graph.InsertCallBefore(node, Aten.Permute, [input, order], nameHint: node.Name, value: Batched(perExample, size));
                graph.Substitute(node, front);
                batched[front] = perExample.Shape.Length;
            }
            else if (node.Target == VmapTarget.RemoveBatchDim)
            {
                var value = NodeOperands.Tensor(node, 0, where);
                int outDim = (int)NodeOperands.Integer(node, 3, where);
                var result = node.TensorValue;
                outDim = outDim < 0 ? outDim + result.Shape.Length : outDim;
                Node back;
                if (batched.ContainsKey(value))
                {
                    var order = new object?[result.Shape.Length];
                    for (int d = 0, k = 1; d < order.Length; d++) order[d] = d == outDim ? 0L : (long)k++;
                    back = graph.InsertCallBefore(node, Aten.Permute, [value, order], nameHint: node.Name, value: result);
                }
                else
                {
                    // A value that never met a batched operand: the same for every example.
                    var single = value.TensorValue;
                    var widened = graph.InsertCallBefore(node, Aten.Unsqueeze, [value, (long)outDim], value: new TensorMeta(single.DType, [.. single.Shape[..outDim], 1, .. single.Shape[outDim..]]));
                    var sizes = Enumerable.Range(0, result.Shape.Length).Select(d => d == outDim ? node.Args[2] : -1L).ToArray();
                    back = graph.InsertCallBefore(node, Aten.Expand, [widened, sizes], nameHint: node.Name, value: result);
                }
                graph.Substitute(node, back);
            }
            else if (batchSize is not null && node.Args.Concat(node.Kwargs.Values).OfType<Node>().Any(batched.ContainsKey))
            {
                if (node.Target is not OpOverload op || !op.Tags.Contains("pointwise") || node.Value is not TensorMeta perExample)
                    throw new InvalidDataException($"{where}: {node.Name} calls {node.Target} on a tensor torch.vmap batches; Graphport lowers vmap over pointwise ops only. "
                        + "Save the program after ep.run_decompositions(), which removes vmap, or write the batched computation without vmap.");
                int rank = perExample.Shape.Length;
                node.Args = node.Args.Select(a => a is Node n && batched.TryGetValue(n, out int r) && r < rank ? Unsqueezed(graph, node, n, rank - r) : a).ToArray();
                node.Value = Batched(perExample, batchSize);
                batched[node] = rank;
            }
        }
    }

    private static SymInt SizeOf(object size) => size switch
    {
        long l => l,
        Node { Value: SymInt s } => s,
        _ => throw new InvalidDataException($"a vmap batch size must be an integer or a size, not {size}."),
    };

    private static TensorMeta Batched(TensorMeta perExample, object size) => new(perExample.DType, [SizeOf(size), .. perExample.Shape]);

    /// <summary>A batched operand with size-one dims after the batch dim, up to the result's per-example rank.</summary>
    private static Node Unsqueezed(Graph graph, Node user, Node operand, int count)
    {
        var current = operand;
        for (int i = 0; i < count; i++)
        {
            var meta = current.TensorValue;
            current = graph.InsertCallBefore(user, Aten.Unsqueeze, [current, 1L], value: new TensorMeta(meta.DType, [meta.Shape[0], 1, .. meta.Shape[1..]]));
        }
        return current;
    }
}
