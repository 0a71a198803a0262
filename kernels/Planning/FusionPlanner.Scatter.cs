using Graphport.Graphs;
using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

// Sums into positions read from an index tensor: scatter_add (a mixture of experts' tokens counted per expert, a
// histogram's decomposition) as a copy of self and a kernel of accumulating stores; threads that meet at an element
// add atomically. It ran on the host.
public sealed partial class FusionPlanner
{
    /// <summary>Storage types the device adds into atomically (kernels/Cuda/prelude.cu, gp_atomic_add).</summary>
    private static bool AddsAtomically(DType dtype) => dtype is DType.Float32 or DType.Float64 or DType.Int64 or DType.Int32;

    /// <summary>
    /// <c>scatter_add(self, dim, index, src)</c>: out = self, then for every element c of index, out[c with c[dim] =
    /// index[c]] += src[c] (index no larger than src, nor than self outside dim, as torch requires).
    /// </summary>
    private PlannedValue? LowerScatterAdd(Node node, Dictionary<string, object?> args)
    {
        if (node.Value is not TensorMeta meta || !AddsAtomically(meta.DType) || args["self"] is not PlannedValue self
            || args["index"] is not PlannedValue index || args["src"] is not PlannedValue src) return null;
        int rank = self.Shape.Length;
        if (rank == 0 || index.Shape.Length != rank || src.Shape.Length != rank) return null;
        int dim = NormalizeDim(Convert.ToInt64(args["dim"]), rank);
        for (int d = 0; d < rank; d++)
            if (index.Shape[d] > src.Shape[d] || (d != dim && index.Shape[d] > self.Shape[d])) return null;
        Materialize(index);
        var kind = ValueKinds.Of(meta.DType);
        var result = new PlannedValue(node.Name, meta.DType, self.Shape) { Body = c => Exprs.Cast(self.Read(c), kind) };
        result.Provenance.Add("aten::scatter_add");
        var view = Materialize(result);
        if (index.Numel == 0) return result;
        var space = new IterationSpace("i", "x", index.Shape);
        var c = space.Coordinates;
        var target = c.Select((x, d) => d == dim ? ToIndex(index.Read(c), self.Shape[dim]) : x).ToArray();
        steps.Add(new PointwiseKernel($"{Hint(result)}_add", $"{node.Name}[index] += src  {meta.DType.ShortName()}[{string.Join(", ", index.Shape)}]", space,
            [Tighten(space, new Store(view.Buffer, view.Index(target), Exprs.Cast(src.Read(c), kind), Accumulate: true))]));
        return result;
    }
}
