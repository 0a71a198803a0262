using Graphport.Graphs;
using Graphport.Operators;
using Graphport.Shapes;
using Graphport.Tracing;

namespace Graphport.Passes;

/// <summary>
/// Checks an exported program (torch's verifier): signature and graph agree, every op is registered (and in the
/// Core ATen opset when the core dialect is required), and every node's recorded metadata is what its op's meta
/// function computes from its inputs' metadata.
/// </summary>
internal static class ProgramVerifier
{
    public static IReadOnlyList<string> Problems(ExportedProgram program, bool requireCore)
    {
        var problems = new List<string>();
        var placeholders = program.Graph.Placeholders.ToList();
        var inputs = program.GraphSignature.InputSpecs;
        if (placeholders.Count != inputs.Count)
            problems.Add($"The graph has {placeholders.Count} placeholders but the signature lists {inputs.Count} inputs.");
        for (int i = 0; i < Math.Min(placeholders.Count, inputs.Count); i++)
        {
            if (placeholders[i].Name != inputs[i].Arg.Name)
                problems.Add($"Input {i} is placeholder {placeholders[i].Name} but the signature names {inputs[i].Arg.Name}.");
            if (inputs[i].Kind is InputKind.Parameter or InputKind.Buffer && !program.StateDict.ContainsKey(inputs[i].Target ?? ""))
                problems.Add($"Input {inputs[i].Arg.Name} refers to state {inputs[i].Target}, which the state dict lacks.");
            if (inputs[i].Kind == InputKind.ConstantTensor && !program.Constants.ContainsKey(inputs[i].Target ?? ""))
                problems.Add($"Input {inputs[i].Arg.Name} refers to constant {inputs[i].Target}, which the program lacks.");
        }
        var outputs = program.Graph.OutputValues;
        if (outputs.Length != program.GraphSignature.OutputSpecs.Count)
            problems.Add($"The graph returns {outputs.Length} values but the signature lists {program.GraphSignature.OutputSpecs.Count} outputs.");
        CheckGraph(program.Graph, program, requireCore, problems, "");
        return problems;
    }

    private static void CheckGraph(Graph graph, ExportedProgram program, bool requireCore, List<string> problems, string where)
    {
        var tracer = new Tracer(program.ShapeEnv, strict: false);
        var fakes = new Dictionary<Node, object?>();
        foreach (var node in graph.Nodes)
        {
            switch (node.Kind)
            {
                case NodeKind.Placeholder:
                    if (node.Value is TensorMeta pm) fakes[node] = tracer.AddInput("v", pm);
                    continue;
                case NodeKind.GetAttr:
                    if (graph.Subgraphs.TryGetValue((string)node.Target, out var sub)) CheckGraph(sub, program, requireCore, problems, $"{where}{node.Target}.");
                    else problems.Add($"{where}{node.Name} reads attribute {node.Target}, which the graph does not have.");
                    continue;
                case NodeKind.Output:
                    continue;
            }
            if (node.Target is OpOverload op)
            {
                if (!OpRegistry.Instance.TryGet(op.Name, out var registered) || !ReferenceEquals(registered, op))
                    problems.Add($"{where}{node.Name} calls {op.Name}, which is not registered.");
                // Run-time assertions (_assert_scalar) are part of every dialect, as in torch.
                if (requireCore && op.Namespace == "aten" && !op.IsCore && !op.StaysThroughDecomposition)
                    problems.Add($"{where}{node.Name} calls {op.Name}, which is not in the Core ATen opset (decompose it, or keep it out of the core dialect).");
                CheckTensorArguments(node, op, problems, where);
                CheckMeta(node, op, fakes, tracer, problems, where);
            }
            else if (node.Value is TensorMeta m)
            {
                fakes[node] = tracer.AddInput("v", m);
            }
        }
    }

    /// <summary>A number where the schema declares a Tensor, in an op torch does not allow it for (NumbersAsTensors).</summary>
    private static void CheckTensorArguments(Node node, OpOverload op, List<string> problems, string where)
    {
        foreach (var (arg, value) in NumbersAsTensors.Misplaced(node, op))
            problems.Add($"{where}{node.Name} passes the number {PythonRepr.Format(value, n => n.Name)} as {arg.Name} of {op.Name}, which takes a {arg.Type}; torch rejects that (use an overload that takes a Scalar).");
    }

    /// <summary>Re-runs the op's meta function on fake tensors carrying the inputs' recorded metadata.</summary>
    private static void CheckMeta(Node node, OpOverload op, Dictionary<Node, object?> fakes, Tracer tracer, List<string> problems, string where)
    {
        if (op.Meta is null || node.Value is null) return;
        // A data-dependent result is a fresh symbol each time its meta runs; only its kind can be compared.
        if (op.Tags.Contains("data_dependent_output")) return;
        // Traced metadata carries no storage offsets (torch's slice from a data-dependent start records a fresh u2).
        if (op == Aten.SymStorageOffset) return;
        object? Fake(object? a) => a switch
        {
            Node n when fakes.TryGetValue(n, out var f) => f,
            Node n when n.Value is SymInt s => s,
            Node n when n.Value is SymBool b => b,
            Node n when n.Value is TensorMeta m => fakes[n] = tracer.AddInput("v", m),
            object?[] list => list.Select(Fake).ToArray() is var items && items.Length > 0 && items.All(x => x is Tensor) ? items.Cast<Tensor>().ToArray() : items,
            _ => a,
        };
        object? computed;
        // Sizes the meta function cannot know (nonzero's row count, a slice to a data-dependent end) are fresh
        // symbols each time it runs: they match whatever the node recorded, and are forgotten afterwards so checking
        // leaves the program's symbols as they were.
        var mark = tracer.ShapeEnv.Mark();
        try
        {
            var args = node.Args.Select(Fake).ToArray();
            var kwargs = node.Kwargs.Count == 0 ? null : node.Kwargs.ToDictionary(kv => kv.Key, kv => Fake(kv.Value));
            // An input whose value the graph computes with size arithmetic has no recorded metadata to check against.
            if (args.Any(a => a is Node) || (kwargs?.Values.Any(a => a is Node) ?? false)) return;
            using (tracer.Activate())
                computed = op.Meta(op.BindArgs(args, kwargs));
        }
        catch (Exception e)
        {
            problems.Add($"{where}{node.Name}: the meta function of {op.Name} rejects the recorded inputs: {e.Message}");
            tracer.ShapeEnv.Forget(mark);
            return;
        }
        var fresh = tracer.ShapeEnv.Symbols.Skip(mark.Symbols).Select(i => i.Atom).ToHashSet();
        tracer.ShapeEnv.Forget(mark);
        if (!SameMeta(computed, node.Value, fresh, tracer.ShapeEnv))
            problems.Add($"{where}{node.Name}: recorded {Describe(node.Value)} but {op.Name} computes {Describe(computed)} from its inputs.");
        if (node.Value is TensorMeta tm) fakes[node] = tracer.AddInput("v", tm);
    }

    /// <summary>Same dtype and sizes; a computed size that mentions a symbol the check just created matches any recorded one.</summary>
    private static bool SameMeta(object? computed, object? recorded, HashSet<SymbolAtom> fresh, ShapeEnv env) => (computed, recorded) switch
    {
        (TensorMeta x, TensorMeta y) => x.DType == y.DType && x.Rank == y.Rank && x.Shape.Zip(y.Shape).All(p => SameSize(p.First, p.Second, fresh, env)),
        (TensorMeta?[] x, TensorMeta?[] y) => x.Length == y.Length && x.Zip(y).All(p => SameMeta(p.First, p.Second, fresh, env)),
        (SymInt x, SymInt y) => SameSize(x, y, fresh, env),
        _ => Equals(computed, recorded),
    };

    // Equal as written, or once the program's replacements apply (sizes read out of the data that an assertion says
    // add up to a length: the last recorded as u11, computed as 44 - u8 - u9 - u10).
    private static bool SameSize(SymInt computed, SymInt recorded, HashSet<SymbolAtom> fresh, ShapeEnv env) =>
        computed.Equals(recorded)
        || (computed.IsSymbolic && recorded.IsSymbolic && env.Simplify(computed.Expr).Equals(env.Simplify(recorded.Expr)))
        || (fresh.Count > 0 && computed.IsSymbolic && computed.Expr.FreeSymbols().Any(fresh.Contains));

    private static string Describe(object? m) => m switch
    {
        TensorMeta t => t.Describe(),
        TensorMeta?[] ts => "(" + string.Join(", ", ts.Select(t => t?.Describe() ?? "None")) + ")",
        _ => m?.ToString() ?? "nothing",
    };
}
