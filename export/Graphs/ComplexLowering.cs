using Graphport.Operators;

namespace Graphport.Graphs;

/// <summary>
/// Rewrites a loaded graph's complex64 values as float32 tensors with a trailing (real, imaginary) pair, the layout of
/// view_as_real, so that Llama 4's rotary embedding runs on real kernels: polar(r, θ) is stack(r·cos θ, r·sin θ),
/// view_as_complex and view_as_real are the same tensor seen the other way, a complex product is (ac − bd, ad + bc),
/// a complex value times a real one scales both parts, unsqueeze counts its negative dims before the pair, and to() or a
/// metadata check of a complex value keeps it as it is. The reader already gave complex values their pair's shape. A
/// program with any other op on a complex value is read again with its complex tensors as they are (GraphReader).
/// </summary>
internal static class ComplexLowering
{
    public static void Lower(Graph graph, string where)
    {
        // A region read (and lowered) on its own before it was inlined here brings its complex values marked.
        var complex = new MarkedSet(graph.Nodes.Where(n => n.Meta.ContainsKey(ComplexMark)));
        if (complex.Count == 0 && !graph.Nodes.Any(n => n.Target is ComplexTarget || n.Args.Concat(n.Kwargs.Values).Contains(ComplexTarget.ComplexFloat))) return;
        bool IsComplex(object? a) => a is Node n && complex.Contains(n);
        foreach (var node in graph.Nodes.ToList())
        {
            if (node.Target == ComplexTarget.Polar)
            {
                var (magnitude, angle) = (NodeOperands.Tensor(node, 0, where), NodeOperands.Tensor(node, 1, where));
                var m = magnitude.TensorValue;
                var real = Call(graph, node, Aten.Mul, [magnitude, Call(graph, node, Aten.Cos, [angle], angle.TensorValue)], m);
                var imaginary = Call(graph, node, Aten.Mul, [magnitude, Call(graph, node, Aten.Sin, [angle], angle.TensorValue)], m);
                complex.Add(graph.Substitute(node, Call(graph, node, Aten.Stack, [new object?[] { real, imaginary }, -1L], node.TensorValue)));
            }
            else if (node.Target == ComplexTarget.ViewAsComplex)
            {
                // The pair is the trailing dim already: the same values, now read as complex.
                var pairs = NodeOperands.Tensor(node, 0, where);
                complex.Add(graph.Substitute(node, Call(graph, node, Aten.Alias, [pairs], node.TensorValue)));
            }
            else if (node.Target == ComplexTarget.ViewAsReal)
            {
                var value = NodeOperands.Tensor(node, 0, where);
                if (!complex.Contains(value)) throw new Serialization.ComplexLoweringException($"{where}: {node.Name} views a value as real that is not complex.");
                graph.Substitute(node, Call(graph, node, Aten.Alias, [value], node.TensorValue));
            }
            else if (node.Target is OpOverload op && (node.Args.Concat(node.Kwargs.Values).Any(IsComplex) || node.Kwargs.Values.Contains(ComplexTarget.ComplexFloat)))
            {
                LowerOp(graph, node, op, complex, where);
            }
        }
    }

    private static void LowerOp(Graph graph, Node node, OpOverload op, MarkedSet complex, string where)
    {
        var input = node.Args.Length > 0 ? node.Args[0] as Node : null;
        bool complexInput = input is not null && complex.Contains(input);
        switch (op.Name)
        {
            case "aten::_assert_tensor_metadata" when complexInput:
                graph.Remove(node);
                return;
            case "aten::to.dtype_layout" or "aten::to.dtype" or "aten::_to_copy" or "aten::clone" or "aten::alias" or "aten::detach" or "aten::contiguous" when complexInput:
            {
                var dtype = node.Kwargs.GetValueOrDefault("dtype") ?? node.Args.Skip(1).FirstOrDefault(a => a is DType || ReferenceEquals(a, ComplexTarget.ComplexFloat));
                if (dtype is null || ReferenceEquals(dtype, ComplexTarget.ComplexFloat))
                {
                    complex.Add(graph.Substitute(node, input!));
                    return;
                }
                break;
            }
            case "aten::unsqueeze" when complexInput && node.Args[1] is long dim:
                // A negative dim counts from the end of the complex shape, which the pair now follows.
                if (dim < 0) node.Args = [input, dim - 1];
                complex.Add(node);
                return;
            case "aten::mul.Tensor" when node.Args.Length == 2:
            {
                var (a, b) = (node.Args[0], node.Args[1]);
                if (a is Node x && b is Node y && complex.Contains(x) && complex.Contains(y))
                {
                    var (ar, ai, br, bi) = (Part(graph, node, x, 0), Part(graph, node, x, 1), Part(graph, node, y, 0), Part(graph, node, y, 1));
                    var shape = ShapeRules.Broadcast(ar.TensorValue.Shape, br.TensorValue.Shape);
                    var part = new TensorMeta(DType.Float32, shape);
                    var real = Call(graph, node, Aten.Sub, [Call(graph, node, Aten.Mul, [ar, br], part), Call(graph, node, Aten.Mul, [ai, bi], part)], part);
                    var imaginary = Call(graph, node, Aten.Add, [Call(graph, node, Aten.Mul, [ar, bi], part), Call(graph, node, Aten.Mul, [ai, br], part)], part);
                    complex.Add(graph.Substitute(node, Call(graph, node, Aten.Stack, [new object?[] { real, imaginary }, -1L], node.TensorValue)));
                    return;
                }
                // One complex factor (this op was reached for one): the real one scales both parts, a tensor with a
                // size-one dim against the pair, a number as it is.
                int at = a is Node first && complex.Contains(first) ? 0 : 1;
                var scale = node.Args[1 - at];
                if (scale is Node factor)
                    scale = Call(graph, node, Aten.Unsqueeze, [factor, -1L], new TensorMeta(factor.TensorValue.DType, [.. factor.TensorValue.Shape, 1]));
                node.Args = [node.Args[at], scale];
                complex.Add(node);
                return;
            }
            case "aten::add.Tensor" or "aten::sub.Tensor" when node.Args.Length >= 2 && node.Args[0] is Node p && node.Args[1] is Node q
                && complex.Contains(p) && complex.Contains(q):
                complex.Add(node);
                return;
        }
        // The reader then loads the program with its complex tensors as they are (the CPU backend runs them).
        throw new Serialization.ComplexLoweringException($"{where}: {node.Name} calls {op.Name} on a complex tensor ({string.Join(", ", node.Args.Select(a => a?.ToString() ?? "None"))}), which has no form on "
            + "real pairs here (only polar, view_as_complex, view_as_real, products, sums, unsqueeze and to() do: a rotary embedding's).");
    }

    /// <summary>The node metadata key of a lowered complex value (a float32 tensor holding (real, imaginary) pairs).</summary>
    internal const string ComplexMark = "complex_pairs";

    /// <summary>The lowered complex values, each marked in its node's metadata as it joins.</summary>
    private sealed class MarkedSet(IEnumerable<Node> marked)
    {
        private readonly HashSet<Node> nodes = [.. marked];

        public int Count => nodes.Count;

        public bool Contains(Node node) => nodes.Contains(node);

        public void Add(Node node)
        {
            node.Meta[ComplexMark] = true;
            nodes.Add(node);
        }
    }

    // The real (0) or imaginary (1) part of a lowered complex value: its last dim selected.
    private static Node Part(Graph graph, Node before, Node value, long which) =>
        Call(graph, before, Aten.Select, [value, -1L, which], new TensorMeta(DType.Float32, value.TensorValue.Shape[..^1]));

    private static Node Call(Graph graph, Node before, OpOverload op, object?[] args, TensorMeta meta) =>
        graph.InsertCallBefore(before, op, args, value: meta);

}
