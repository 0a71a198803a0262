using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// Nodes that read only weights: computed once on the host when the program is planned and uploaded with the
// weights, as a frozen CPU module computes them once. An importer's reorder of an LSTM's gates (a cat of slices of W,
// a bias summed from two halves) otherwise ran as four kernels on every call.
public sealed partial class FusionPlanner
{
    /// <summary>Elements past which a weight-only result is computed on the device after all (it would double the upload).</summary>
    private const long WeightOnlyMaxElements = 1L << 26;

    private PlannedValue? TryFoldWeights(Node node, OpOverload op)
    {
        // Views of weights are strides over their buffers already; ops that mutate or draw random numbers are not values.
        if (op.Schema.IsView || op.Schema.IsMutable || op.Tags.Contains("nondeterministic_seeded")) return null;
        if (node.Value is not TensorMeta meta || shapes.Evaluate(meta.Shape).Aggregate(1L, (a, b) => a * b) > WeightOnlyMaxElements) return null;
        bool readsWeight = false, readsOther = false;
        object? Real(object? arg)
        {
            switch (arg)
            {
                case Node n when values.TryGetValue(n, out var value) && value is PlannedValue planned:
                    var tensor = WeightTensor(planned);
                    if (tensor is null) readsOther = true;
                    else readsWeight = true;
                    return tensor;
                case Node:
                    readsOther = true;
                    return null;
                case SymInt s:
                    return shapes.Evaluate(s);
                case object?[] list:
                    var items = list.Select(Real).ToArray();
                    return items.Length > 0 && items.All(i => i is Tensor) ? Array.ConvertAll(items, i => (Tensor)i!) : items;
                default:
                    return arg;
            }
        }
        var args = node.Args.Select(Real).ToArray();
        var kwargs = node.Kwargs.ToDictionary(kv => kv.Key, kv => Real(kv.Value));
        if (!readsWeight || readsOther) return null;
        object? computed;
        try
        {
            computed = op.Call(args, kwargs);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or InvalidOperationException)
        {
            // An op with no CPU kernel here (a custom op defined without one) is planned as usual.
            return null;
        }
        if (computed is not Tensor { IsFake: false } result) return null;
        var folded = WeightValue(node.Name, result.Contiguous());
        folded.Provenance.Add(op.Name);
        return folded;
    }

    // The weight a planned value reads, as a tensor with the value's strides and offset over the uploaded weight; null
    // for anything that is not a stored weight, and for a buffer or parameter the program writes: its value is the
    // last call's, not the one uploaded (a step counter advanced from itself folded to 1 for every call).
    private Tensor? WeightTensor(PlannedValue value)
    {
        if (value.Stored is not { Buffer.Kind: BufferKind.Weight } view || IsWrittenState(view.Buffer)) return null;
        var source = weights.FirstOrDefault(w => w.Buffer == view.Buffer).Value;
        if (source is null) return null;
        return Torch.Ops["aten::as_strided"].CallTensor(source.Contiguous(), view.Shape.Select(s => (SymInt)s).ToArray(), view.Strides.Select(s => (SymInt)s).ToArray(), (SymInt)view.Offset);
    }
}
