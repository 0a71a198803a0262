using Graphport.Cpu;
using Graphport.Operators;

namespace Graphport.Graphs;

/// <summary>
/// Runs a graph node by node on real tensors (torch.fx.Interpreter): placeholders take the given inputs,
/// calls dispatch to CPU kernels, and values are dropped after their last use to bound memory.
/// </summary>
public static class GraphInterpreter
{
    public static object?[] Run(Graph graph, IReadOnlyList<object?> inputs) => Run(graph, inputs, null);

    /// <param name="runner">Runs the nodes it takes (a frozen module's, <see cref="INodeRunner"/>); the rest run here.</param>
    /// <param name="observer">Told each call node's time and the buffers reused (profiling).</param>
    /// <param name="buffers">Arrays an earlier run of this graph gave back, to reuse (none: this run's own).</param>
    internal static object?[] Run(Graph graph, IReadOnlyList<object?> inputs, INodeRunner? runner, RunObserver? observer = null, RunBuffers? buffers = null)
    {
        var plan = ExecutionPlan.For(graph);
        var placeholders = plan.Placeholders;
        if (inputs.Count != placeholders.Length)
            throw new ArgumentException($"The graph has {placeholders.Length} inputs ({string.Join(", ", placeholders.Select(p => plan.Nodes[p].Name))}) but {inputs.Count} values were given.");
        var values = new object?[plan.Nodes.Length];
        Array.Fill(values, ExecutionPlan.NotComputed);
        for (int i = 0; i < placeholders.Length; i++) values[placeholders[i]] = inputs[i];
        Func<object?, object?>? resolveNodes = runner is null ? null : a => plan.ResolveNodes(a, values);
        // Kernels' output arrays come from this run's buffers, and go back to them when no live value reads them.
        buffers ??= new RunBuffers();
        using var scope = buffers.Enter();
        var readers = new Dictionary<Array, int>(ReferenceEqualityComparer.Instance);

        for (int i = 0; i < plan.Nodes.Length; i++)
        {
            var node = plan.Nodes[i];
            switch (node.Kind)
            {
                case NodeKind.Placeholder:
                    continue;
                case NodeKind.GetAttr:
                    values[i] = graph.Subgraphs.TryGetValue((string)node.Target, out var sub) ? sub : throw new InvalidOperationException($"get_attr {node.Target} has no subgraph.");
                    break;
                case NodeKind.Output:
                    var args = plan.Args[i];
                    var items = args.Length > 0 && args[0] is object?[] list ? list : args;
                    observer?.ReusedBuffers = buffers.Reused;
                    return items.Select(a => plan.Resolve(a, values)).ToArray();
                case NodeKind.CallFunction:
                    try
                    {
                        long started = observer is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
                        values[i] = resolveNodes is not null && runner!.TryRun(node, resolveNodes, out var ran) ? ran : Execute(plan, i, values);
                        observer?.Timed(node, System.Diagnostics.Stopwatch.GetTimestamp() - started);
                        Hold(values[i], readers);
                    }
                    catch (Exception e) when (e is not NodeExecutionException)
                    {
                        throw new NodeExecutionException(node, e);
                    }
                    break;
            }
            foreach (int done in plan.ReleaseAfter[i])
            {
                Drop(values[done], readers, buffers);
                values[done] = ExecutionPlan.NotComputed;
            }
        }
        throw new InvalidOperationException("The graph has no output node.");
    }

    // Counts the live values that read each array a value's tensors hold (a tensor, or a list or tuple of them). Arrays
    // too small for RunBuffers to hand out are not counted: they are never taken back.
    private static void Hold(object? value, Dictionary<Array, int> readers)
    {
        if (value is Tensor tensor) Hold(tensor, readers);
        else if (value is System.Collections.IEnumerable items and not string)
            foreach (var item in items)
                if (item is Tensor inner) Hold(inner, readers);
    }

    private static void Hold(Tensor tensor, Dictionary<Array, int> readers)
    {
        if (tensor.IsFake || tensor.Storage.Data is not { Length: >= RunBuffers.MinLength } array) return;
        readers[array] = readers.GetValueOrDefault(array) + 1;
    }

    // A value is dead: each array no live value reads any more goes back to the run's buffers.
    private static void Drop(object? value, Dictionary<Array, int> readers, RunBuffers buffers)
    {
        if (value is Tensor tensor) Drop(tensor, readers, buffers);
        else if (value is System.Collections.IEnumerable items and not string)
            foreach (var item in items)
                if (item is Tensor inner) Drop(inner, readers, buffers);
    }

    private static void Drop(Tensor tensor, Dictionary<Array, int> readers, RunBuffers buffers)
    {
        // Only arrays Hold counted (long enough to be handed out again): the lookup hashes the array, which costs
        // most for the many small ones made once.
        if (tensor.IsFake || tensor.Storage.Data is not { Length: >= RunBuffers.MinLength } array || !readers.TryGetValue(array, out int count)) return;
        if (count > 1) readers[array] = count - 1;
        else
        {
            readers.Remove(array);
            buffers.Return(array);
        }
    }

    private static object? Execute(ExecutionPlan plan, int index, object?[] values)
    {
        var node = plan.Nodes[index];
        var template = plan.Args[index];
        var args = new object?[template.Length];
        for (int a = 0; a < args.Length; a++) args[a] = plan.Resolve(template[a], values);
        switch (node.Target)
        {
            case OpOverload op:
                if (!op.IsRegistered)
                    throw new NotSupportedException($"Operator {op.Name} used by node {node.Name} is not registered in this process. Define it (and its implementation) with a Library before running the program.");
                var kwargTemplate = plan.Kwargs[index];
                Dictionary<string, object?>? kwargs = null;
                if (kwargTemplate.Length > 0)
                {
                    kwargs = new Dictionary<string, object?>(kwargTemplate.Length);
                    foreach (var (name, value) in kwargTemplate) kwargs[name] = plan.Resolve(value, values);
                }
                return Dispatcher.Invoke(op, op.BindArgs(args, kwargs));
            case BuiltinTarget builtin:
                return builtin.Run(args);
            case HigherOrderTarget higher:
                return HigherOrderRunner.Run(higher, args);
            default:
                throw new NotSupportedException($"Cannot execute node {node.Name} with target {node.Target}.");
        }
    }
}

/// <summary>A node failed while running a graph; the message names the node and the op.</summary>
public sealed class NodeExecutionException(Node node, Exception inner)
    : Exception($"Running node {node.Name} ({GraphPrinter.TargetName(node.Target)}){(node.Source is { } s ? $" from {s}" : "")} failed: {inner.Message}", inner)
{
    public Node Node { get; } = node;
}
