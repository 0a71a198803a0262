using Graphport.Graphs;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// Products of one input by several weights (a transformer layer's query, key and value projections, its gate and up
// projections: each a linear, so an mm of the same reshaped input by a transposed weight) run as one product by the
// weights side by side, each result a column slice of it: one launch instead of three, and a wider product that uses
// more of the GPU for a decoding step's single row.
public sealed partial class FusionPlanner
{
    // Results of the products planned with an earlier one: a column slice of their shared product.
    private readonly Dictionary<Node, PlannedValue> projectionSlices = [];

    private PlannedValue? TryLowerSharedInputProjections(Node node, OpOverload op, PlannedValue a)
    {
        if (matmulActivations.ContainsKey(node) || node.Value is not TensorMeta meta) return null;
        var projected = Projection(node);
        if (projected is null) return null;
        var own = projected.Value;
        var key = LeftKey(node);
        var group = new List<(Node Node, Tensor Weight, Tensor? Bias)> { (node, own.Weight, own.Bias) };
        foreach (var other in SameInputProducts(key.Source))
        {
            if (other == node || other.Op?.Name != op.Name || values.ContainsKey(other) || matmulActivations.ContainsKey(other)) continue;
            if (!LeftKey(other).Equals(key) || other.Value is not TensorMeta { } otherMeta || otherMeta.DType != meta.DType || other.Kwargs.Count > 0) continue;
            var candidate = Projection(other);
            if (candidate is null) continue;
            var (otherWeight, otherBias) = candidate.Value;
            if (otherWeight.Shape[0] != own.Weight.Shape[0] || (otherBias is null) != (own.Bias is null)) continue;
            group.Add((other, otherWeight, otherBias));
        }
        if (group.Count < 2) return null;
        // Weights [K, N_i] side by side: [K, sum N_i], stored once as a weight (the separate ones are then read by nothing).
        var weight = WeightValue($"{node.Name}_projections", Torch.Cat(group.Select(g => g.Weight).ToArray(), 1).Contiguous());
        var bias = own.Bias is null ? null : WeightValue($"{node.Name}_projection_biases", Torch.Cat(group.Select(g => g.Bias!).ToArray(), 0).Contiguous());
        long m = a.Shape[0], total = group.Sum(g => (long)g.Weight.Shape[1]);
        var names = string.Join("+", group.Select(g => g.Node.Name));
        var product = PlanLibraryMatmul(node, op.Name, names, a, weight, bias, 1, 1, [m, total], meta.DType);
        PlannedValue? first = null;
        long column = 0;
        foreach (var (member, w, _) in group)
        {
            long n = (long)w.Shape[1];
            var slice = new PlannedValue(member.Name, meta.DType, [m, n]) { Stored = new StridedView(product.Stored!.Buffer, column, [m, n], [total, 1]) };
            slice.Provenance.Add(op.Name);
            column += n;
            if (member == node) first = slice;
            else projectionSlices[member] = slice;
        }
        return first;
    }

    // The weight [K, N] a product multiplies by (a transposed parameter, as a linear's decomposition reads it) and, for
    // addmm, its 1-D bias: both constant, read from the program's weights; null when either is computed or written.
    private (Tensor Weight, Tensor? Bias)? Projection(Node product)
    {
        bool addmm = product.Op?.Name == "aten::addmm";
        if (product.Args.Length != (addmm ? 3 : 2) || product.Args[addmm ? 2 : 1] is not Node right) return null;
        var weight = WeightOf(right);
        if (weight is null || weight.Dim() != 2) return null;
        if (!addmm) return (weight, null);
        if (product.Args[0] is not Node biasNode) return null;
        var bias = WeightOf(biasNode);
        if (bias is null || bias.Dim() != 1 || (long)bias.Shape[0] != (long)weight.Shape[1]) return null;
        return (weight, bias);
    }

    // A constant weight (a placeholder holding one), or its transpose (permute [1, 0] or t of one).
    private Tensor? WeightOf(Node node)
    {
        if (values.GetValueOrDefault(node) is PlannedValue planned && WeightTensor(planned) is { } tensor) return tensor;
        var transposed = node switch
        {
            { Op.Name: "aten::permute", Args: [Node source, var dims] } when IsSwap(dims) => source,
            { Op.Name: "aten::t", Args: [Node source] } => source,
            _ => null,
        };
        return transposed is not null && WeightOf(transposed) is { } weight && weight.Dim() == 2
            ? Torch.Ops["aten::permute"].CallTensor(weight, new long[] { 1, 0 }) : null;
    }

    private static bool IsSwap(object? dims) => dims switch
    {
        long[] l => l is [1, 0],
        object?[] o => o.Length == 2 && Convert.ToInt64(o[0]) == 1 && Convert.ToInt64(o[1]) == 0,
        _ => false,
    };

    private static bool IsReshape(Node node) => node.Op?.Name is "aten::view" or "aten::_unsafe_view" or "aten::reshape";

    // What a product's left operand is: a node, or a reshape of one (each linear reshapes the same input its own way)
    // with the shape it reshapes to.
    private static (Node Source, string Shape) LeftKey(Node product)
    {
        var left = (Node)product.Args[product.Op?.Name == "aten::addmm" ? 1 : 0]!;
        return IsReshape(left) && left.Args is [Node source, ..] && left.Value is TensorMeta reshaped ? (source, string.Join(",", reshaped.Shape)) : (left, "");
    }

    // Products that read source directly or through a reshape of it.
    private static IEnumerable<Node> SameInputProducts(Node source) =>
        source.Users.SelectMany(u => IsReshape(u) ? u.Users : [u]).Where(u => u.Op?.Name is "aten::mm" or "aten::addmm").Distinct();
}
