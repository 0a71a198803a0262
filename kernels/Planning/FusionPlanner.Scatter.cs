using Graphport.Graphs;
using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

// Writes into positions read from an index tensor: scatter_add (a mixture of experts' tokens counted per expert, a
// histogram's decomposition) and scatter as a copy of self and a kernel of stores, accumulating ones adding
// atomically where threads meet at an element. They ran on the host.
public sealed partial class FusionPlanner
{
    /// <summary>Storage types the device adds into atomically (kernels/Cuda/prelude.cu, gp_atomic_add).</summary>
    private static bool AddsAtomically(DType dtype) => dtype is DType.Float32 or DType.Float64 or DType.Int64 or DType.Int32;

    /// <summary>
    /// <c>scatter_add(self, dim, index, src)</c>, <c>scatter.src</c> and <c>scatter.value</c>: out = self, then for every
    /// element c of index, out[c with c[dim] = index[c]] += src[c] (or = src[c], or = value: DeepSeek's routing marks
    /// its chosen groups so). index is no larger than src, nor than self outside dim, as torch requires; repeated
    /// indices of a plain scatter write in no fixed order, as torch's do.
    /// </summary>
    private PlannedValue? LowerScatter(Node node, string opName, Dictionary<string, object?> args)
    {
        bool accumulate = opName == "aten::scatter_add";
        if (node.Value is not TensorMeta meta || (accumulate && !AddsAtomically(meta.DType)) || args["self"] is not PlannedValue self
            || args["index"] is not PlannedValue index) return null;
        var src = args.GetValueOrDefault("src") as PlannedValue;
        if (opName != "aten::scatter.value" && src is null) return null;
        int rank = self.Shape.Length;
        if (rank == 0 || index.Shape.Length != rank || (src is not null && src.Shape.Length != rank)) return null;
        int dim = NormalizeDim(Convert.ToInt64(args["dim"]), rank);
        for (int d = 0; d < rank; d++)
            if ((src is not null && index.Shape[d] > src.Shape[d]) || (d != dim && index.Shape[d] > self.Shape[d])) return null;
        Materialize(index);
        var kind = ValueKinds.Of(meta.DType);
        var result = new PlannedValue(node.Name, meta.DType, self.Shape) { Body = c => Exprs.Cast(self.Read(c), kind) };
        result.Provenance.Add(opName);
        var view = Materialize(result);
        if (index.Numel == 0) return result;
        var space = new IterationSpace("i", "x", index.Shape);
        var c = space.Coordinates;
        var target = c.Select((x, d) => d == dim ? ToIndex(index.Read(c), new IndexSite(opName, node.Name, dim, self.Shape[dim], false)) : x).ToArray();
        var value = src is not null ? Exprs.Cast(src.Read(c), kind) : Exprs.Cast(Broadcast(args["value"], index.Shape)(c), kind);
        steps.Add(new PointwiseKernel($"{Hint(result)}_{(accumulate ? "add" : "put")}", $"{node.Name}[index] {(accumulate ? "+=" : "=")} {(src is null ? "value" : "src")}  {meta.DType.ShortName()}[{string.Join(", ", index.Shape)}]", space,
            [Tighten(space, new Store(view.Buffer, view.Index(target), value, accumulate))]));
        return result;
    }
}
