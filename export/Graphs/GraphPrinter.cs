using System.Text;
using Graphport.Operators;

namespace Graphport.Graphs;

/// <summary>Renders graphs as FX does: the "graph():" node listing and the readable forward() code.</summary>
public static class GraphPrinter
{
    /// <summary>torch.fx.Graph.__str__: one line per node with its user count, opcode, target and arguments.</summary>
    public static string Listing(Graph graph)
    {
        var sb = new StringBuilder("graph():\n");
        foreach (var n in graph.Nodes)
        {
            string Ref(Node x) => "%" + x.Name;
            switch (n.Kind)
            {
                case NodeKind.Placeholder:
                    sb.Append($"    %{n.Name} : [num_users={n.Users.Count}] = placeholder[target={n.Target}]\n");
                    break;
                case NodeKind.GetAttr:
                    sb.Append($"    %{n.Name} : [num_users={n.Users.Count}] = get_attr[target={n.Target}]\n");
                    break;
                case NodeKind.CallFunction:
                    string args = "(" + string.Join(", ", n.Args.Select(a => PythonRepr.Format(a, Ref))) + (n.Args.Length == 1 ? ",)" : ")");
                    string kwargs = "{" + string.Join(", ", n.Kwargs.Select(kv => $"{kv.Key}: {PythonRepr.Format(kv.Value, Ref)}")) + "}";
                    sb.Append($"    %{n.Name} : [num_users={n.Users.Count}] = call_function[target={TargetName(n.Target)}](args = {args}, kwargs = {kwargs})\n");
                    break;
                case NodeKind.Output:
                    sb.Append($"    return {OutputTuple(n, x => x.Name)}\n");
                    break;
            }
        }
        return sb.ToString().TrimEnd('\n');
    }

    public static string TargetName(object target) => target switch
    {
        OpOverload op => $"torch.ops.{op.Target}",
        BuiltinTarget b => b.Name,
        HigherOrderTarget h => h.Printed,
        _ => target.ToString() ?? "",
    };

    private static string OutputTuple(Node output, Func<Node, string> name)
    {
        var items = Graph.OutputItems(output);
        return "(" + string.Join(", ", items.Select(a => PythonRepr.Format(a, name))) + (items.Length == 1 ? ",)" : ")");
    }

    /// <summary>GraphModule.print_readable: a Python class whose forward() is the graph, with source comments.</summary>
    public static string Readable(Graph graph, string className = "GraphModule", int indent = 0, bool withSources = true)
    {
        var sb = new StringBuilder();
        string pad = new(' ', indent);
        sb.Append(pad).Append($"class {className}(torch.nn.Module):\n");
        var placeholders = graph.Placeholders.ToList();
        sb.Append(pad).Append("    def forward(self");
        foreach (var p in placeholders)
        {
            sb.Append(", ").Append(p.Name);
            if (TypeAnnotation(p) is string ann) sb.Append($": \"{ann}\"");
        }
        sb.Append("):\n");
        string body = pad + "        ";
        var lastUse = LastUses(graph);
        SourceFrame? currentSource = null;
        bool anyCall = false;
        foreach (var n in graph.Nodes)
        {
            if (n.Kind is NodeKind.Placeholder) continue;
            if (n.Kind == NodeKind.Output)
            {
                sb.Append(body).Append("return ").Append(OutputTuple(n, x => x.Name)).Append('\n');
                continue;
            }
            if (withSources && n.Kind == NodeKind.CallFunction && (!anyCall || !Equals(n.Source, currentSource)))
            {
                if (anyCall) sb.Append('\n');
                sb.Append(body).Append("# ").Append(n.Source?.Describe() ?? "No stacktrace found for following nodes").Append('\n');
                currentSource = n.Source;
            }
            anyCall |= n.Kind == NodeKind.CallFunction;
            sb.Append(body).Append(n.Name);
            if (TypeAnnotation(n) is string ann) sb.Append($": \"{ann}\"");
            sb.Append(" = ").Append(CallText(n));
            if (lastUse.TryGetValue(n, out var dying) && dying.Count > 0)
                sb.Append(";  ").Append(string.Join(" = ", dying.Select(d => d.Name))).Append(" = None");
            sb.Append('\n');
        }
        foreach (var (name, sub) in graph.Subgraphs)
        {
            sb.Append('\n');
            sb.Append(Readable(sub, name, indent + 4, withSources));
        }
        sb.Append(pad).Append("    \n");
        return sb.ToString();
    }

    private static string CallText(Node n)
    {
        string Name(Node x) => x.Name;
        if (n.Kind == NodeKind.GetAttr) return $"self.{n.Target}";
        if (n.Target is BuiltinTarget b)
        {
            string a0 = PythonRepr.Format(n.Args[0], Name);
            string a1 = n.Args.Length > 1 ? PythonRepr.Format(n.Args[1], Name) : "";
            return b.Name switch
            {
                "operator.getitem" => $"{a0}[{a1}]",
                "operator.add" => $"{a0} + {a1}",
                "operator.sub" => $"{a0} - {a1}",
                "operator.mul" => $"{a0} * {a1}",
                "operator.floordiv" => $"{a0} // {a1}",
                "operator.mod" => $"{a0} % {a1}",
                "operator.neg" => $"-{a0}",
                "operator.eq" => $"{a0} == {a1}",
                "operator.ne" => $"{a0} != {a1}",
                "operator.lt" => $"{a0} < {a1}",
                "operator.le" => $"{a0} <= {a1}",
                "operator.gt" => $"{a0} > {a1}",
                "operator.ge" => $"{a0} >= {a1}",
                "operator.and_" => $"{a0} and {a1}",
                "operator.or_" => $"{a0} or {a1}",
                "operator.not_" => $"not {a0}",
                _ => $"{b.Name}({string.Join(", ", n.Args.Select(a => PythonRepr.Format(a, Name)))})",
            };
        }
        var parts = n.Args.Select(a => PythonRepr.Format(a, Name))
            .Concat(n.Kwargs.Select(kv => $"{kv.Key} = {PythonRepr.Format(kv.Value, Name)}"));
        return $"{TargetName(n.Target)}({string.Join(", ", parts)})";
    }

    private static string? TypeAnnotation(Node n) => n.Value switch
    {
        TensorMeta m => m.Describe(),
        SymInt s => $"Sym({s})",
        SymBool b => $"Sym({b})",
        _ => null,
    };

    /// <summary>For each node, the values whose last use it is (FX frees them there: "x = y = None").</summary>
    private static Dictionary<Node, List<Node>> LastUses(Graph graph)
    {
        var last = new Dictionary<Node, Node>();
        foreach (var n in graph.Nodes)
            foreach (var input in n.Inputs)
                last[input] = n;
        var result = new Dictionary<Node, List<Node>>();
        foreach (var n in graph.Nodes)
        {
            if (n.Kind == NodeKind.Output) continue;
            foreach (var input in n.Inputs)
            {
                if (last[input] != n) continue;
                if (!result.TryGetValue(n, out var list)) result[n] = list = [];
                list.Add(input);
            }
        }
        return result;
    }
}
