namespace Graphport.Onnx;

/// <summary>
/// If: a predicate known while tracing (a constant, or one computed from sizes) picks its branch at import, as
/// Python control flow does under torch.export; a predicate computed from tensor data becomes torch.cond, with the
/// enclosing tensors each branch reads passed in as operands (cond branches take no closures).
/// </summary>
internal static partial class OnnxOpTable
{
    private static void AddControlFlow(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["If"] = If;
    }

    private static OnnxValue[] If(OnnxNodeContext c)
    {
        var thenBranch = c.Attr("then_branch")?.Graph ?? throw c.Fail("has no then_branch subgraph");
        var elseBranch = c.Attr("else_branch")?.Graph ?? throw c.Fail("has no else_branch subgraph");
        if (thenBranch.Outputs.Count != elseBranch.Outputs.Count)
            throw c.Fail($"has branches with {thenBranch.Outputs.Count} and {elseBranch.Outputs.Count} outputs; both must return the same number");
        var noBindings = new Dictionary<string, OnnxValue>();
        if (c.Known(0) is { IsConcrete: true } known)
        {
            if (known.Items.Length != 1) throw c.Fail($"has a condition of {known.Items.Length} elements; If takes one boolean");
            return c.RunBranch(known.Items[0].AsConstant != 0 ? thenBranch : elseBranch, noBindings);
        }
        var pred = c.Tensor(0);
        if (!pred.IsFake)
            return c.RunBranch(pred.ToArray<double>().Single() != 0 ? thenBranch : elseBranch, noBindings);
        if (pred.Ndim > 0) pred = Call(Aten.Reshape, pred, Array.Empty<SymInt>());

        // The enclosing graph's traced tensors either branch reads, in first-use order.
        var captured = FreeNames(thenBranch).Concat(FreeNames(elseBranch)).Distinct(StringComparer.Ordinal)
            .Where(n => c.Scope.TryGetValue(n, out var v) && v is TensorValue { Tensor.IsFake: true })
            .ToList();
        var operands = captured.Select(n => ((TensorValue)c.Scope[n]).Tensor).ToList();
        Func<Tensor[], Tensor[]> Branch(OnnxGraph branch) => ops =>
        {
            var bound = captured.Zip(ops, (name, op) => (name, (OnnxValue)new TensorValue(op))).ToDictionary(p => p.name, p => p.Item2, StringComparer.Ordinal);
            return c.RunBranch(branch, bound).Select(v => v switch
            {
                TensorValue tv => tv.Tensor,
                ShapeValue sv => OnnxImporter.Materialize(sv),
                _ => throw c.Fail("has a branch output that is not a tensor"),
            }).ToArray();
        };
        Tensor[] results;
        try
        {
            results = Torch.Cond(pred, Branch(thenBranch), Branch(elseBranch), operands);
        }
        catch (Exception e) when (e is not ConstraintViolationException)
        {
            // Both branches are traced for the inputs at hand; a model whose branches take different inputs (Silero
            // VAD's 8 kHz branch cannot take a 16 kHz chunk) fails in the other one. Its callers usually fix what the
            // condition reads: say how to fix it at import.
            var fixable = c.ModelInputs.Where(i => i.Shape is { } shape && shape.Count <= 1 && shape.All(d => d.Value is 1)).Select(i => i.Name).ToList();
            string hint = fixable.Count > 0
                ? $" If callers always pass the same {string.Join(" or ", fixable.Select(n => $"'{n}'"))} (a sample rate, a mode), fix it at import with --input-value {fixable[0]}=V (OnnxImportOptions.InputValues): the If is then decided at import and only its branch traced"
                : " Fix the inputs its condition reads at import (--input-value NAME=V, OnnxImportOptions.InputValues) so the If is decided then and only its branch traced";
            throw c.Fail($"has a condition computed from tensor data, so both branches are traced (torch.cond), and one of them failed for these inputs: {e.Message}{hint}");
        }
        return results.Select(r => (OnnxValue)new TensorValue(r)).ToArray();
    }

    /// <summary>Names a graph reads that it does not define itself (node outputs, initializers, inputs), nested graphs included.</summary>
    private static IEnumerable<string> FreeNames(OnnxGraph graph)
    {
        var defined = new HashSet<string>(graph.Initializers.Select(i => i.Name).Concat(graph.Inputs.Select(i => i.Name)), StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs.Where(i => i.Length > 0 && !defined.Contains(i))) yield return input;
            foreach (var attribute in node.Attributes.Values)
                foreach (var sub in attribute.Graph is { } g ? [g] : attribute.Graphs)
                    foreach (var name in FreeNames(sub).Where(n => !defined.Contains(n))) yield return name;
            foreach (var output in node.Outputs) defined.Add(output);
        }
        foreach (var output in graph.Outputs.Where(o => !defined.Contains(o.Name))) yield return output.Name;
    }
}
