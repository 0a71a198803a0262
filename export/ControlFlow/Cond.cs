using Graphport.Graphs;
using Graphport.Tracing;
using Microsoft.Extensions.Logging;

namespace Graphport.ControlFlow;

/// <summary>
/// torch.cond: runs one of two branches on the operands. Eagerly it is an if; while exporting, both branches are
/// traced into subgraphs (true_graph_i, false_graph_i) joined by a higher_order.cond node, so the program keeps
/// the data-dependent choice.
/// </summary>
internal static class Cond
{
    /// <param name="userTrue">The delegate the user passed (checked for captured tensors); trueFn may wrap it.</param>
    public static Tensor[] Apply(object pred, Func<Tensor[], Tensor[]> trueFn, Func<Tensor[], Tensor[]> falseFn, IReadOnlyList<Tensor> operands,
        Delegate userTrue, Delegate userFalse)
    {
        string trueName = BranchName(userTrue, "true_fn"), falseName = BranchName(userFalse, "false_fn");
        ArgumentNullException.ThrowIfNull(trueFn, "true_fn");
        ArgumentNullException.ThrowIfNull(falseFn, "false_fn");
        ArgumentNullException.ThrowIfNull(operands);
        if (operands.Any(o => o is null))
            throw new ArgumentException($"Expect operands to be a tuple of possibly nested dict/list/tuple that only consists of tensor leaves, but got [{string.Join(", ", operands.Select(o => o is null ? "None" : "Tensor"))}].");
        CheckPredicate(pred);
        CheckClosure(userTrue, trueName);
        CheckClosure(userFalse, falseName);
        var tracer = Tracer.Current;
        if (tracer is null)
        {
            bool take = pred switch
            {
                SymBool b => b,
                Tensor t => t.Item() != 0,
                _ => throw new InvalidOperationException(),
            };
            return take ? trueFn(operands.ToArray()) : falseFn(operands.ToArray());
        }
        if (pred is SymBool { IsSymbolic: false } constant)
        {
            GraphportLogging.Export.LogWarning("Pred is a Python constant. When used with torch.cond, it specializes on one of the branches. If you want torch.cond to preserve two branches, please make the predicate a boolean tensor or a SymBool.");
            return constant.AsConstant == true ? trueFn(operands.ToArray()) : falseFn(operands.ToArray());
        }
        return Trace(tracer, pred, trueFn, falseFn, operands, trueName, falseName);
    }

    /// <summary>The name of the method a branch is ("TrueFn" for a local function), else torch's default name.</summary>
    private static string BranchName(Delegate d, string fallback)
    {
        string name = d.Method.Name;
        if (!name.StartsWith('<')) return name;
        int g = name.IndexOf(">g__", StringComparison.Ordinal);
        if (g < 0) return fallback;
        int bar = name.IndexOf('|', g);
        return bar > g + 4 ? name[(g + 4)..bar] : fallback;
    }

    private static void CheckPredicate(object pred)
    {
        if (pred is Tensor t)
        {
            if (t.IsFake ? !(bool)(t.Numel() == 1) : t.NumelLong != 1)
                throw new ArgumentException($"Expected pred to be bool or single-element tensor, but got a tensor of shape {t.Shape}.");
            if (t.DType != DType.Bool)
                throw new ArgumentException($"Expected pred to be a bool tensor, but got a tensor of dtype {t.DType.TorchName()}. Compare it (e.g. x.Sum() > 0) to get a bool.");
        }
        else if (pred is not SymBool)
        {
            throw new ArgumentException($"Expected pred to be bool or tensor, but got {pred}.");
        }
    }

    /// <summary>Branches may use `this` (the module) but not tensors captured from the enclosing method (seed rule).</summary>
    private static void CheckClosure(Delegate branch, string name)
    {
        var target = branch.Target;
        if (target is null || target is Module) return;
        var type = target.GetType();
        bool compilerGenerated = type.Name.Contains('<', StringComparison.Ordinal);
        if (!compilerGenerated) return;
        foreach (var field in type.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic))
        {
            if (field.Name.Contains("4__this", StringComparison.Ordinal)) continue;
            var value = field.GetValue(target);
            if (value is Tensor || value is IEnumerable<Tensor>)
                throw new ExportException(
                    $"Cond branch {name} captures the tensor `{field.Name}` from the enclosing scope. Branch functions cannot access closure variables, except for `this`; pass `{field.Name}` in the operands instead (Torch.Cond(pred, trueFn, falseFn, [..., {field.Name}])).");
        }
    }

    private static Tensor[] Trace(Tracer tracer, object pred, Func<Tensor[], Tensor[]> trueFn, Func<Tensor[], Tensor[]> falseFn, IReadOnlyList<Tensor> operands, string trueName, string falseName)
    {
        var names = operands.Select(o => tracer.NodeOf(o).Name).ToList();
        var t = SubgraphTrace.Run(tracer, trueName, operands, names, ops => trueFn(ops));
        var f = SubgraphTrace.Run(tracer, falseName, operands, names, ops => falseFn(ops));
        if (t.Outputs.Length != f.Outputs.Length)
            throw new ExportException($"Expected to return same number of outputs but got:\n  true branch returns {t.Outputs.Length} item(s)\n  false branch returns {f.Outputs.Length} item(s)");
        for (int i = 0; i < t.Outputs.Length; i++)
        {
            var a = t.Outputs[i].Meta;
            var b = f.Outputs[i].Meta;
            if (a.DType != b.DType || !a.Shape.SequenceEqual(b.Shape))
                throw new ExportException($"Expected each tensor to have same metadata but got:\n  {trueName} returns {a.Describe()}\n  {falseName} returns {b.Describe()}");
        }
        // Both branches take the same operand list: the given operands, then every outer tensor either one reads.
        var lifted = new List<Tensor>();
        foreach (var branch in new[] { t, f })
            foreach (var (outer, _) in branch.Tracer.LiftedFromParent)
                if (!lifted.Any(l => ReferenceEquals(l, outer))) lifted.Add(outer);
        foreach (var branch in new[] { t, f })
        {
            foreach (var outer in lifted)
                if (!branch.Tracer.LiftedFromParent.Any(p => ReferenceEquals(p.Outer, outer)))
                    branch.Tracer.LiftedFromParent.Add((outer, branch.AddLiftedInput(tracer.NodeOf(outer).Name, outer.Meta)));
            var order = branch.Inputs.Select(i => i.Fake.Node)
                .Concat(lifted.Select(o => branch.Tracer.LiftedFromParent.First(p => ReferenceEquals(p.Outer, o)).Inner.Fake.Node)).ToList();
            branch.Graph.ReorderPlaceholders(order);
        }
        int index = tracer.Graph.Subgraphs.Keys.Count(k => k.StartsWith("true_graph_", StringComparison.Ordinal));
        string trueGraph = $"true_graph_{index}", falseGraph = $"false_graph_{index}";
        tracer.Graph.Subgraphs[trueGraph] = t.Graph;
        tracer.Graph.Subgraphs[falseGraph] = f.Graph;
        var trueNode = tracer.Graph.AddGetAttr(trueGraph, null);
        var falseNode = tracer.Graph.AddGetAttr(falseGraph, null);
        object predArg = pred switch
        {
            Tensor p => tracer.NodeOf(p),
            SymBool b => tracer.SymBoolNode(b.Expr),
            _ => throw new InvalidOperationException(),
        };
        var allOperands = operands.Concat(lifted).Select(o => (object?)tracer.NodeOf(o)).ToArray();
        var metas = t.Outputs.Select(o => o.Meta).ToArray();
        var node = tracer.Graph.AddCall(HigherOrderTarget.Cond, [predArg, trueNode, falseNode, allOperands], value: metas);
        node.Source = tracer.CurrentSource();
        node.ModuleStack = tracer.CurrentModuleStack();
        return metas.Select((m, i) =>
        {
            var item = tracer.Graph.AddCall(BuiltinTarget.GetItem, [node, (long)i], value: m);
            item.Source = node.Source;
            item.ModuleStack = node.ModuleStack;
            return tracer.MakeFake(m, item);
        }).ToArray();
    }
}
