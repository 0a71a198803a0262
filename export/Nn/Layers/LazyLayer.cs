using System.Runtime.CompilerServices;
using Graphport.Tracing;

namespace Graphport;

/// <summary>
/// torch.nn's lazy modules: a layer whose input size (features or channels) is read from its first input, when its
/// parameters are made with the regular layer's initialization. Until then it has no parameters; after, its state
/// dict holds the regular layer's tensors under the same names (weight, bias, running_mean, ...). Exporting needs
/// them made: call the model once on an example input first (torch's lazy modules need the same).
/// </summary>
public abstract class LazyLayer<TLayer> : Module<Tensor, Tensor> where TLayer : Module<Tensor, Tensor>
{
    // Held outside the fields the module scans for children, so the layer's tensors are this module's own (weight, not
    // layer.weight), as torch's lazy module turns into the regular one.
    private readonly StrongBox<TLayer?> layer = new(null);

    /// <summary>Whether the parameters are still to be made (torch's has_uninitialized_params()).</summary>
    public bool HasUninitializedParams => layer.Value is null;

    /// <summary>The regular layer this one became, once it has seen an input.</summary>
    public TLayer? Materialized => layer.Value;

    /// <summary>The regular layer for an input with this many features or channels.</summary>
    protected abstract TLayer Create(long inputSize);

    /// <summary>The input's size that the regular layer takes as its first argument.</summary>
    protected abstract long InputSize(Tensor x);

    public override Tensor Forward(Tensor x)
    {
        if (layer.Value is null)
        {
            if (Tracer.Current is not null || x.IsFake)
                throw new ExportException($"{GetType().Name} has not made its parameters yet, so there is nothing to export: call the model once on an example input before exporting (model.Call(example)), as torch's lazy modules need too.");
            layer.Value = Create(InputSize(x));
        }
        var inner = layer.Value;
        if (inner.Training != Training) inner.Train(Training);
        return inner.Forward(x);
    }

    protected override IEnumerable<(string Name, Parameter Value)> OwnParameters() => layer.Value?.NamedParameters() ?? [];

    protected override IEnumerable<(string Name, Buffer Value)> OwnBuffers() => layer.Value?.NamedBuffers() ?? [];

    protected override string ExtraRepr()
    {
        if (layer.Value is not { } inner) return "uninitialized";
        string text = inner.ToString();
        int open = text.IndexOf('(');
        return open < 0 ? "" : text[(open + 1)..text.LastIndexOf(')')];
    }
}
