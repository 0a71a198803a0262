using Graphport.Graphs;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Backends;

/// <summary>Zero-pads inputs along the batch dimension up to a bucket, and cuts outputs back to the real batch.</summary>
public static class BatchPadding
{
    public static IReadOnlyList<Tensor> Pad(ExportedProgram program, IReadOnlyList<Tensor> inputs, ShapeBinding actual, ShapeBinding bucket)
    {
        var placeholders = ShapeBinding.UserPlaceholders(program);
        return inputs.Select((t, i) => placeholders[i].Value is TensorMeta meta ? Resize(t, meta, actual, bucket) : t).ToList();
    }

    public static object?[] Slice(ExportedProgram program, object?[] outputs, ShapeBinding actual, ShapeBinding bucket)
    {
        var items = program.Graph.OutputValues;
        return outputs.Select((o, i) => o is Tensor t && items[i] is Node { Value: TensorMeta meta } ? Resize(t, meta, actual, bucket) : o).ToArray();
    }

    // Pads or narrows every dimension whose size differs between the two bindings.
    private static Tensor Resize(Tensor t, TensorMeta meta, ShapeBinding actual, ShapeBinding bucket)
    {
        var result = t;
        for (int d = 0; d < meta.Rank; d++)
        {
            long want = t.Shape[d] == (SymInt)bucket.Evaluate(meta.Shape[d]) ? actual.Evaluate(meta.Shape[d]) : bucket.Evaluate(meta.Shape[d]);
            long have = (long)result.Shape[d];
            if (want == have) continue;
            if (want < have) result = result.Narrow(d, 0, want).Contiguous();
            else
            {
                var shape = result.Shape.ToLongs();
                shape[d] = want - have;
                result = Torch.Cat([result, Torch.Zeros(shape, result.DType)], d);
            }
        }
        return result;
    }
}
