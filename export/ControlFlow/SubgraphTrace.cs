using Graphport.Graphs;
using Graphport.Tracing;

namespace Graphport.ControlFlow;

/// <summary>
/// Traces a function into a subgraph of the current trace: placeholders for its operands, plus placeholders for
/// every outer tensor the function reads (lifted, torch-style, into extra operands).
/// </summary>
internal sealed class SubgraphTrace
{
    private SubgraphTrace(Tracer tracer, Tensor[] inputs, Tensor[] outputs)
    {
        Tracer = tracer;
        Inputs = inputs;
        Outputs = outputs;
    }

    public Tracer Tracer { get; }

    public Graph Graph => Tracer.Graph;

    /// <summary>The placeholders standing for the operands (in order).</summary>
    public Tensor[] Inputs { get; }

    public Tensor[] Outputs { get; }

    public static SubgraphTrace Run(Tracer parent, string what, IReadOnlyList<Tensor> operands, IReadOnlyList<string> names, Func<Tensor[], Tensor[]> body)
    {
        var tracer = new Tracer(parent.ShapeEnv, parent.Strict, parent);
        var inputs = operands.Select((o, i) => tracer.AddInput(names[i], parent.Proxy(o).Meta)).ToArray();
        Tensor[] outputs;
        using (tracer.Activate())
            outputs = body(inputs);
        if (outputs.Any(o => o is null)) throw new ExportException($"{what} returned null; every output must be a tensor.");
        for (int i = 0; i < inputs.Length; i++)
        {
            if (tracer.NodeOf(inputs[i]) != inputs[i].Fake.Node || inputs[i].Fake.Version != 0)
                throw new ExportException($"One of torch.cond branch might be modifying the input! Consider cloning the input before modifying it. ({what} writes into operand {i}, {names[i]}.)");
        }
        foreach (var (outer, inner) in tracer.LiftedFromParent)
        {
            if (tracer.NodeOf(inner) != inner.Fake.Node)
                throw new ExportException($"{what} writes into {inner.Fake.Node.Name}, a tensor of the enclosing graph; a branch must not mutate state. Return the new value instead.");
            _ = outer;
        }
        var placeholders = tracer.Graph.Placeholders.ToHashSet();
        foreach (var o in outputs)
        {
            var proxy = tracer.Proxy(o);
            if (placeholders.Contains(tracer.NodeOf(proxy)) || proxy.Fake.ViewBase is { } b && placeholders.Contains(b.Fake.Node))
                throw new ExportException($"One of torch.cond branch might be aliasing the input! If you are returning a view of the input, please make sure to clone it. ({what} returns one of its inputs or a view of one.)");
        }
        tracer.Graph.SetOutput(outputs.Select(o => (object?)tracer.NodeOf(o)).ToArray());
        tracer.Graph.EliminateDeadCode();
        return new SubgraphTrace(tracer, inputs, outputs);
    }

    /// <summary>Adds placeholders (after the existing ones) so every branch takes the same lifted operands.</summary>
    public Tensor AddLiftedInput(string name, TensorMeta meta) => Tracer.AddInput(name, meta);
}
