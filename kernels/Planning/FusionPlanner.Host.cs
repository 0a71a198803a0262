using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// Ops without a device lowering run on the host with the CPU kernels, reading and writing the same buffers; cond and
// map run there too, the CPU interpreter taking the branch or the body over real tensors.
public sealed partial class FusionPlanner
{
    private object? LowerOnHost(Node node, OpOverload op) => LowerOnHost(node, HostCall.Of(op));

    private object? LowerOnHost(Node node, HostCall call)
    {
        // A matrix product that runs on the host cannot apply the activation it was going to absorb.
        if (matmulActivationNodes.Remove(node, out var activation))
        {
            absorbed.Remove(activation);
            matmulActivations.Remove(node);
        }
        var inputs = new List<StridedView>();
        object? Convert(object? arg) => arg switch
        {
            // A branch or body of cond/map: the subgraph itself, for the interpreter.
            Node { Kind: NodeKind.GetAttr, Target: string name } when program.Graph.Subgraphs.TryGetValue(name, out var subgraph) => subgraph,
            Node n => ConvertValue(values[n]),
            SymInt s => shapes.Evaluate(s),
            object?[] list => list.Select(Convert).ToArray(),
            _ => arg,
        };
        object? ConvertValue(object? value) => value switch
        {
            PlannedValue v => new HostTensorArgument(AddInput(v)),
            object?[] items => items.Select(ConvertValue).ToArray(),
            _ => value,
        };
        int AddInput(PlannedValue v)
        {
            inputs.Add(Materialize(v));
            return inputs.Count - 1;
        }
        var arguments = node.Args.Select(Convert).ToArray();
        var kwargs = node.Kwargs.ToDictionary(kv => kv.Key, kv => Convert(kv.Value));
        hostOps.Add(call.Name);
        var metas = node.Value switch
        {
            TensorMeta m => [m],
            TensorMeta?[] ms => ms,
            _ => throw Unsupported(node, $"{call.Name} returns {node.Value?.GetType().Name ?? "nothing"}, which has no place in a device buffer"),
        };
        var outputs = new List<BufferRef?>();
        var results = new List<PlannedValue?>();
        for (int i = 0; i < metas.Length; i++)
        {
            // An output the op does not produce (a masked-off gradient) is None: no buffer.
            if (metas[i] is not { } meta)
            {
                outputs.Add(null);
                results.Add(null);
                continue;
            }
            var shape = shapes.Evaluate(meta.Shape);
            var name = metas.Length == 1 ? node.Name : $"{node.Name}_{i}";
            var buffer = NewBuffer(name, meta.DType, shape.Aggregate(1L, (a, b) => a * b), BufferKind.Intermediate);
            outputs.Add(buffer);
            var value = new PlannedValue(name, meta.DType, shape) { Stored = StridedView.Contiguous(buffer, shape) };
            value.Provenance.Add(call.Name);
            results.Add(value);
        }
        var shortName = call.Name.StartsWith("higher_order.", StringComparison.Ordinal) ? call.Name["higher_order.".Length..] : ShortOpName(call.Name);
        steps.Add(new HostStep(shortName, $"{node.Name} = {call.Name} on the host (no CUDA kernel)", call, arguments, kwargs, inputs, outputs));
        return node.Value is TensorMeta ? results[0] : results.Cast<object?>().ToArray();
    }
}
