using Graphport.Cpu;
using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// A run of elementwise functions of one float32 or float64 tensor in a graph (add, sub, mul or div by a number,
/// clamp, hardtanh, relu, sigmoid, tanh, silu, hardswish, hardsigmoid, and HardSwish as exporters spell it out:
/// x·clamp(x + 3, 0, 6) / 6), each node read only by the next: what a frozen module runs in one pass
/// (<see cref="Pointwise.Chain{T}"/>). <see cref="Nodes"/> are in graph order; the first computes the whole chain from
/// <see cref="Input"/>, and each later one hands on the value of the node before it, which is one of its inputs.
/// </summary>
internal sealed record PointwiseChain(Node Input, IReadOnlyList<Node> Nodes, IReadOnlyList<PointwiseStep> Steps, int Hardswishes)
{
    private static readonly Dictionary<string, UnaryOp> Unaries = new(StringComparer.Ordinal)
    {
        ["aten::relu"] = UnaryOp.Relu, ["aten::sigmoid"] = UnaryOp.Sigmoid, ["aten::tanh"] = UnaryOp.Tanh, ["aten::silu"] = UnaryOp.Silu,
        ["aten::hardswish"] = UnaryOp.Hardswish, ["aten::hardsigmoid"] = UnaryOp.Hardsigmoid,
    };

    /// <summary>One step of a chain where it starts at a node: the step, the tensor it reads, and its nodes (more than
    /// one for a spelled-out HardSwish), in graph order.</summary>
    internal readonly record struct Link(PointwiseStep Step, Node Input, Node[] Nodes)
    {
        public Node Last => Nodes[^1];
    }

    /// <summary>Every chain of <paramref name="minimumNodes"/> or more nodes among <paramref name="nodes"/> (graph
    /// order), none using a node in <paramref name="taken"/>; longest first from where each starts.</summary>
    public static List<PointwiseChain> Find(IEnumerable<Node> nodes, IReadOnlySet<Node> taken, int minimumNodes = 2)
    {
        var chains = new List<PointwiseChain>();
        var used = new HashSet<Node>();
        foreach (var node in nodes)
        {
            if (used.Contains(node) || taken.Contains(node) || LinkAt(node) is not { } first || first.Nodes.Any(taken.Contains)) continue;
            var links = new List<Link> { first };
            // The next link reads the last one's value, and nothing else does (so no one sees the value handed on).
            while (Next(links[^1].Last) is { } next && !next.Nodes.Any(n => taken.Contains(n) || used.Contains(n)))
                links.Add(next);
            var chainNodes = links.SelectMany(l => l.Nodes).ToList();
            if (chainNodes.Count < minimumNodes) continue;
            used.UnionWith(chainNodes);
            chains.Add(new PointwiseChain(first.Input, chainNodes, links.Select(l => l.Step).ToList(), links.Count(l => l.Nodes.Length == 4)));
        }
        return chains;
    }

    private static Link? Next(Node last)
    {
        foreach (var user in last.Users)
            if (LinkAt(user) is { } next && ReferenceEquals(next.Input, last) && last.Users.All(u => next.Nodes.Contains(u)))
                return next;
        return null;
    }

    /// <summary>The link that starts at this node, or null when it is not an elementwise function of one floating
    /// tensor of its own dtype with numbers for its other operands.</summary>
    internal static Link? LinkAt(Node node)
    {
        if (node.Op is not { } op || node.Kwargs.Count != 0) return null;
        if (SpelledOutHardswish(node) is var (x, add, clamp, mul, div)) return new Link(PointwiseStep.Unary(UnaryOp.Hardswish), x, [add, clamp, mul, div]);
        PointwiseStep? step = null;
        Node? input = node.Args.ElementAtOrDefault(0) as Node;
        switch (op.Name)
        {
            case "aten::add.Tensor" or "aten::add.Scalar" or "aten::mul.Tensor" or "aten::mul.Scalar" when node.Args.Length == 2:
            {
                // Both orders: these two commute.
                var (tensor, number) = node.Args[0] is Node ? (node.Args[0] as Node, node.Args[1]) : (node.Args[1] as Node, node.Args[0]);
                input = tensor;
                if (Number(number) is double c) step = op.Name.StartsWith("aten::add", StringComparison.Ordinal) ? PointwiseStep.Add(c) : PointwiseStep.Multiply(c);
                break;
            }
            case "aten::sub.Tensor" or "aten::sub.Scalar" when node.Args.Length == 2 && Number(node.Args[1]) is double c:
                step = PointwiseStep.Add(-c);  // x − c and x + (−c) round alike
                break;
            case "aten::div.Tensor" or "aten::div.Scalar" when node.Args.Length == 2 && Number(node.Args[1]) is double c:
                step = PointwiseStep.Divide(c);
                break;
            case "aten::clamp" when node.Args.Length is 2 or 3:
            {
                object? low = node.Args[1], high = node.Args.ElementAtOrDefault(2);
                if ((low is null || Number(low) is not null) && (high is null || Number(high) is not null) && (low ?? high) is not null)
                    step = PointwiseStep.Clamp(Number(low), Number(high));
                break;
            }
            case "aten::hardtanh" when node.Args.Length is >= 1 and <= 3:
            {
                double? low = node.Args.Length > 1 ? Number(node.Args[1]) : -1, high = node.Args.Length > 2 ? Number(node.Args[2]) : 1;
                if (low is not null && high is not null) step = PointwiseStep.Clamp(low, high);
                break;
            }
            default:
                if (node.Args.Length == 1 && Unaries.TryGetValue(op.Name, out var unary)) step = PointwiseStep.Unary(unary);
                break;
        }
        return step is { } s && input is not null && SameFloatingDType(input, node) ? new Link(s, input, [node]) : null;
    }

    // add(x, 3) read only by clamp(·, 0, 6), read only by mul(x, clamp) (either order), read only by div(mul, 6).
    private static (Node X, Node Add, Node Clamp, Node Mul, Node Div)? SpelledOutHardswish(Node add)
    {
        static bool Is(object? arg, double value) => Number(arg) == value;
        if (add.Op?.Name != "aten::add.Tensor" || add.Kwargs.Count != 0 || add.Args is not [Node x, var three] || !Is(three, 3)) return null;
        if (add.Users is not [{ Op.Name: "aten::clamp" } clamp] || clamp.Kwargs.Count != 0 || clamp.Args is not [_, var low, var high] || !Is(low, 0) || !Is(high, 6)) return null;
        if (clamp.Users is not [{ Op.Name: "aten::mul.Tensor" } mul] || mul.Kwargs.Count != 0 || mul.Args.Length != 2) return null;
        bool readsBoth = (ReferenceEquals(mul.Args[0], x) && ReferenceEquals(mul.Args[1], clamp)) || (ReferenceEquals(mul.Args[0], clamp) && ReferenceEquals(mul.Args[1], x));
        if (!readsBoth || mul.Users is not [{ Op.Name: "aten::div.Tensor" } div] || div.Kwargs.Count != 0) return null;
        return div.Args is [Node numerator, var six] && ReferenceEquals(numerator, mul) && Is(six, 6) && SameFloatingDType(x, div) ? (x, add, clamp, mul, div) : null;
    }

    /// <summary>A number as a graph stores an operand (long, int or double), or null for anything else.</summary>
    internal static double? Number(object? arg) => arg is long or int or double ? Convert.ToDouble(arg) : null;

    private static bool SameFloatingDType(Node input, Node output) =>
        input.Value is TensorMeta { DType: DType.Float32 or DType.Float64 } a && output.Value is TensorMeta b && a.DType == b.DType;
}
