using Graphport.Graphs;
using Graphport.Operators;
using Graphport.Shapes;
using Graphport.Tracing;

namespace Graphport.Passes;

/// <summary>
/// Re-traces an exported program op by op on fake tensors, producing a new program (torch's run_decompositions
/// re-trace): ops with an entry in the table are replaced by their traced decompositions, all others are recorded
/// again, keeping input names, signature kinds, state, sources and module stacks.
/// </summary>
internal static class ProgramRetracer
{
    public static ExportedProgram Retrace(ExportedProgram program, DecompositionTable? table, bool groupedQueryAttention = false, bool groupedExperts = false)
    {
        using var activity = Exporter.Activity.StartActivity("decompose");
        var tracer = new Tracer(program.ShapeEnv, strict: false) { Decompositions = table };
        var values = new Dictionary<Node, object?>();
        var newPlaceholders = new List<Node>();
        var inputFakes = new List<Tensor>();
        foreach (var p in program.Graph.Placeholders)
        {
            var fake = tracer.AddInput(p.Name, p.TensorValue);
            values[p] = fake;
            inputFakes.Add(fake);
            newPlaceholders.Add(fake.Fake.Node);
        }
        object?[] outputs;
        // Attention over key/value heads repeated per query group (transformers' repeat_kv) replayed as grouped-query
        // attention on the unrepeated heads: the repeat's nodes are then dead and go with the rest of the dead code.
        var grouped = groupedQueryAttention
            ? program.Graph.Nodes.Select(GroupedAttention.At).OfType<GroupedAttention>().ToDictionary(g => g.Attention)
            : null;
        // A loop over experts split by counts read from the data replayed as one split_mm_cat: the reads, the splits and
        // the products are left out (ExpertSplitMatmul).
        var experts = groupedExperts ? new ExpertReplay(ExpertSplitMatmul.Find(program.Graph)) : null;
        using (tracer.Activate())
            outputs = ReplayGraph(tracer, program.Graph, values, grouped, experts);
        var outputNodes = outputs.Select(o => o switch
        {
            Tensor t => (object?)tracer.NodeOf(t),
            SymInt { IsSymbolic: true } s => tracer.SymbolArg(s.Expr),
            _ => o,
        }).ToArray();
        var outputSpecs = program.GraphSignature.OutputSpecs.Select((spec, i) => outputNodes[i] is Node n
            ? spec with { Arg = spec.Arg is TensorArgument ? new TensorArgument(n.Name) : spec.Arg is SymIntArgument ? new SymIntArgument(n.Name) : spec.Arg }
            : spec).ToList();
        var (mutationNodes, mutationSpecs) = InPlaceMutations(program, inputFakes, newPlaceholders, tracer);
        tracer.Graph.SetOutput([.. mutationNodes, .. outputNodes]);
        tracer.Graph.EliminateDeadCode();
        var (inputSpecs, placeholders, constants) = WithNewConstants(program, newPlaceholders, tracer);
        tracer.Graph.ReorderPlaceholders(placeholders);
        var stateDict = program.StateDict;
        // A captured tensor the graph writes in place (a static key/value cache kept as a plain attribute) is state that
        // carries from call to call, as in torch's ep.module(): written functionally, it is a non-persistent buffer.
        var written = mutationSpecs.Where(s => s.Kind == OutputKind.BufferMutation && constants.ContainsKey(s.Target!)).Select(s => s.Target!).ToHashSet(StringComparer.Ordinal);
        if (written.Count > 0)
        {
            inputSpecs = inputSpecs.Select(s => s.Kind == InputKind.ConstantTensor && written.Contains(s.Target!) ? s with { Kind = InputKind.Buffer, Persistent = false } : s).ToList();
            var state = new Dictionary<string, Tensor>(stateDict, StringComparer.Ordinal);
            foreach (var target in written)
            {
                state[target] = constants[target];
                constants.Remove(target);
            }
            stateDict = state;
        }
        var signature = new ExportGraphSignature(inputSpecs, [.. mutationSpecs, .. outputSpecs]);
        return new ExportedProgram(tracer.Graph, signature, stateDict, constants, UpdatedRangeConstraints(program), program.CallSignature, program.ShapeEnv);
    }

    /// <summary>
    /// The inputs once the constants a decomposition made (triu_indices' pairs, say) are lifted as torch lifts them:
    /// each a constant-tensor input placed after the program's own state and constants, before the user inputs, under
    /// a name the program's constants do not use.
    /// </summary>
    private static (List<InputSpec> Specs, List<Node> Placeholders, Dictionary<string, Tensor> Constants) WithNewConstants(
        ExportedProgram program, List<Node> placeholders, Tracer tracer)
    {
        var specs = program.GraphSignature.InputSpecs.ToList();
        var constants = new Dictionary<string, Tensor>(program.Constants);
        var present = tracer.Graph.Placeholders.ToHashSet();
        var lifted = tracer.Lifted.Where(l => l.Kind == LiftedKind.Constant && present.Contains(l.Placeholder)).ToList();
        if (lifted.Count == 0) return (specs, placeholders, constants);
        int userStart = specs.FindIndex(s => s.Kind == InputKind.UserInput);
        if (userStart < 0) userStart = specs.Count;
        var newSpecs = new List<InputSpec>();
        int next = 0;
        foreach (var l in lifted)
        {
            string target;
            do target = $"lifted_tensor_{next++}"; while (constants.ContainsKey(target));
            constants[target] = l.Real;
            newSpecs.Add(new InputSpec(InputKind.ConstantTensor, new TensorArgument(l.Placeholder.Name), target, null));
        }
        return ([.. specs[..userStart], .. newSpecs, .. specs[userStart..]],
                [.. placeholders[..userStart], .. lifted.Select(l => l.Placeholder), .. placeholders[userStart..]],
                constants);
    }

    /// <summary>
    /// The program's range constraints with the symbols the re-trace created added (torch's
    /// _get_updated_range_constraints): replaying <c>_local_scalar_dense</c> makes a new unbacked symbol (u1 for the
    /// program's u0), and the new graph's sizes and checks are in terms of it. Without its range torch cannot load
    /// the saved program (its ShapeEnv has no range for u1: <c>KeyError: u1</c>). Symbols replaced meanwhile are
    /// left out, as at export.
    /// </summary>
    private static RangeConstraints UpdatedRangeConstraints(ExportedProgram program)
    {
        var env = program.ShapeEnv;
        var replaced = env.Replacements.Keys.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var entries = program.RangeConstraints.Where(e => !replaced.Contains(e.Key)).ToList();
        var known = entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var info in env.Symbols)
            if (!env.Replacements.ContainsKey(info.Atom) && known.Add(info.Atom.Name))
                entries.Add(new KeyValuePair<string, ValueRange>(info.Atom.Name, info.Range));
        return entries.Count == program.RangeConstraints.Count && entries.SequenceEqual(program.RangeConstraints) ? program.RangeConstraints : new RangeConstraints(entries);
    }

    /// <summary>
    /// Inputs that in-place ops of the graph wrote (torch's training IR keeps add_ on a buffer, mul_ on a user input,
    /// with no mutation output): the re-trace functionalizes those ops, so each written input becomes a mutation
    /// output, as torch's run_decompositions makes it (BUFFER_MUTATION, USER_INPUT_MUTATION), placed before the
    /// existing outputs in input order. Inputs the signature already lists as mutated are left as they are.
    /// </summary>
    private static (List<object?> Nodes, List<OutputSpec> Specs) InPlaceMutations(ExportedProgram program, List<Tensor> inputFakes, List<Node> placeholders, Tracer tracer)
    {
        var nodes = new List<object?>();
        var specs = new List<OutputSpec>();
        var listed = program.GraphSignature.OutputSpecs.Where(s => s.Target is not null).Select(s => (s.Kind, s.Target)).ToHashSet();
        for (int i = 0; i < placeholders.Count; i++)
        {
            var current = tracer.NodeOf(inputFakes[i]);
            if (current == placeholders[i]) continue;
            var input = program.GraphSignature.InputSpecs[i];
            var (kind, target) = input.Kind switch
            {
                InputKind.Parameter => (OutputKind.ParameterMutation, input.Target!),
                InputKind.Buffer => (OutputKind.BufferMutation, input.Target!),
                InputKind.UserInput => (OutputKind.UserInputMutation, input.Arg.Name),
                // A captured tensor written in place becomes a non-persistent buffer (Retrace).
                InputKind.ConstantTensor when input.Target is not null => (OutputKind.BufferMutation, input.Target),
                _ => throw new ExportException($"The program writes into its input {input.Arg.Name} ({input.Kind}) in place, which cannot be expressed as a mutation output; only parameters, buffers and user inputs may be written."),
            };
            if (listed.Contains((kind, target))) continue;
            nodes.Add(current);
            specs.Add(new OutputSpec(kind, new TensorArgument(current.Name), target));
        }
        return (nodes, specs);
    }

    /// <summary>Replays a graph's nodes on fake values under the current tracer; placeholders must already be in <paramref name="values"/>.</summary>
    private static object?[] ReplayGraph(Tracer tracer, Graph graph, Dictionary<Node, object?> values, IReadOnlyDictionary<Node, GroupedAttention>? grouped = null,
        ExpertReplay? experts = null)
    {
        foreach (var node in graph.Nodes)
        {
            if (experts is not null && experts.Found.Replaced.Contains(node)) continue;
            switch (node.Kind)
            {
                case NodeKind.Placeholder:
                    continue;
                case NodeKind.GetAttr:
                    values[node] = graph.Subgraphs[(string)node.Target];
                    continue;
                case NodeKind.Output:
                    var items = Graph.OutputItems(node);
                    return items.Select(a => Resolve(a, values)).ToArray();
            }
            var previous = tracer.ReplayedNode;
            tracer.ReplayedNode = node;
            try
            {
                values[node] = grouped is not null && grouped.TryGetValue(node, out var attention) ? ReplayGrouped(attention, values)
                    : experts is not null && experts.Found.Loops.TryGetValue(node, out var loop) ? experts.Replay(loop, values)
                    : Replay(node, values);
            }
            finally
            {
                tracer.ReplayedNode = previous;
            }
        }
        throw new InvalidOperationException("The graph has no output node.");
    }

    /// <summary>A subgraph as a function, replayed under whichever tracer is current when it is called.</summary>
    private static Tensor[] RunSubgraph(Graph graph, Tensor[] inputs)
    {
        var tracer = Tracer.Current ?? throw new InvalidOperationException("Subgraphs are replayed only while re-tracing.");
        var values = new Dictionary<Node, object?>();
        var placeholders = graph.Placeholders.ToList();
        for (int i = 0; i < placeholders.Count; i++) values[placeholders[i]] = inputs[i];
        return ReplayGraph(tracer, graph, values).Cast<Tensor>().ToArray();
    }

    private static object? ReplayGrouped(GroupedAttention grouped, Dictionary<Node, object?> values)
    {
        var node = grouped.Attention;
        var op = (OpOverload)node.Target;
        var args = node.Args.Select(a => Resolve(a, values)).ToArray();
        (args[1], args[2]) = (values[grouped.Key], values[grouped.Value]);
        var kwargs = node.Kwargs.ToDictionary(kv => kv.Key, kv => Resolve(kv.Value, values));
        kwargs["enable_gqa"] = true;
        return Dispatcher.Invoke(op, op.BindArgs(args, kwargs));
    }

    /// <summary>A re-trace's expert loops (<see cref="ExpertSplitMatmul.Find"/>) and the group ends it has summed.</summary>
    private sealed class ExpertReplay((IReadOnlyDictionary<Node, ExpertSplitMatmul> Loops, IReadOnlySet<Node> Replaced) found)
    {
        // One counts tensor's ends are summed once for every loop split by it (an expert's input and output products).
        private readonly Dictionary<Node, Tensor> endsOfCounts = [];

        public (IReadOnlyDictionary<Node, ExpertSplitMatmul> Loops, IReadOnlySet<Node> Replaced) Found { get; } = found;

        public Tensor Replay(ExpertSplitMatmul loop, Dictionary<Node, object?> values)
        {
            var weight = (Tensor)values[loop.Weight]!;
            if (loop.Transposed) weight = Aten.Permute.CallTensor(weight, new long[] { 0, 2, 1 });
            if (!endsOfCounts.TryGetValue(loop.Counts, out var ends))
                endsOfCounts[loop.Counts] = ends = Aten.Cumsum.CallTensor((Tensor)values[loop.Counts]!, 0L);
            return Aten.SplitMmCat.CallTensor((Tensor)values[loop.Tokens]!, weight, ends);
        }
    }

    private static object? Replay(Node node, Dictionary<Node, object?> values)
    {
        var args = node.Args.Select(a => Resolve(a, values)).ToArray();
        switch (node.Target)
        {
            case HigherOrderTarget { Name: "cond" }:
            {
                var trueGraph = (Graph)args[1]!;
                var falseGraph = (Graph)args[2]!;
                var operands = ((IEnumerable<object?>)args[3]!).Cast<Tensor>().ToArray();
                Func<Tensor[], Tensor[]> t = ops => RunSubgraph(trueGraph, ops), f = ops => RunSubgraph(falseGraph, ops);
                return ControlFlow.Cond.Apply(args[0]!, t, f, operands, t, f);
            }
            case HigherOrderTarget { Name: "map_impl" }:
            {
                var body = (Graph)args[0]!;
                var xs = ((IEnumerable<object?>)args[1]!).Cast<Tensor>().Single();
                var rest = ((IEnumerable<object?>)args[2]!).Cast<Tensor>().ToArray();
                return new[] { ControlFlow.MapOp.Apply((x, extra) => RunSubgraph(body, [x, .. extra])[0], xs, rest) };
            }
            case OpOverload op:
                var kwargs = node.Kwargs.Count == 0 ? null : node.Kwargs.ToDictionary(kv => kv.Key, kv => Resolve(kv.Value, values));
                return Dispatcher.Invoke(op, op.BindArgs(args, kwargs));
            case BuiltinTarget builtin:
                return SymbolicBuiltin(builtin, args);
            default:
                throw new NotSupportedException($"Cannot re-trace node {node.Name} with target {GraphPrinter.TargetName(node.Target)}.");
        }
    }

    /// <summary>getitem and size arithmetic on symbolic ints (the interpreter's versions would specialize them).</summary>
    private static object? SymbolicBuiltin(BuiltinTarget builtin, object?[] a)
    {
        static SymInt S(object? v) => v switch
        {
            SymInt s => s,
            long l => l,
            int i => i,
            _ => throw new InvalidOperationException($"Expected a size, got {v?.GetType().Name ?? "null"}."),
        };
        return builtin.Name switch
        {
            "operator.getitem" => a[0] switch
            {
                Tensor[] ts => ts[(int)(long)a[1]!],
                object?[] items => items[(int)(long)a[1]!],
                _ => throw new InvalidOperationException("getitem on a non-sequence."),
            },
            "operator.add" => S(a[0]) + S(a[1]),
            "operator.sub" => S(a[0]) - S(a[1]),
            "operator.mul" => S(a[0]) * S(a[1]),
            "operator.floordiv" => S(a[0]) / S(a[1]),
            "operator.mod" => S(a[0]) % S(a[1]),
            "operator.neg" => -S(a[0]),
            "torch.sym_max" => SymInt.Max(S(a[0]), S(a[1])),
            "torch.sym_min" => SymInt.Min(S(a[0]), S(a[1])),
            "operator.eq" => S(a[0]) == S(a[1]),
            "operator.ne" => S(a[0]) != S(a[1]),
            "operator.lt" => S(a[0]) < S(a[1]),
            "operator.le" => S(a[0]) <= S(a[1]),
            "operator.gt" => S(a[0]) > S(a[1]),
            "operator.ge" => S(a[0]) >= S(a[1]),
            "operator.and_" => (SymBool)a[0]! & (SymBool)a[1]!,
            "operator.or_" => (SymBool)a[0]! | (SymBool)a[1]!,
            "operator.not_" => !(SymBool)a[0]!,
            _ => builtin.Run(a),
        };
    }

    private static object? Resolve(object? arg, Dictionary<Node, object?> values) => arg switch
    {
        Node n => values[n],
        object?[] list => ResolveList(list, values),
        _ => arg,
    };

    private static object ResolveList(object?[] list, Dictionary<Node, object?> values)
    {
        var resolved = list.Select(x => Resolve(x, values)).ToArray();
        if (resolved.Length > 0 && resolved.All(x => x is Tensor)) return resolved.Cast<Tensor>().ToArray();
        return resolved;
    }
}
