namespace Graphport.Onnx;

/// <summary>A GraphProto: nodes in topological order, initializers (weights), declared inputs and outputs.</summary>
public sealed class OnnxGraph
{
    internal OnnxGraph() { }

    public string Name { get; internal set; } = "";

    public List<OnnxNode> Nodes { get; } = [];

    public List<OnnxTensor> Initializers { get; } = [];

    /// <summary>Declared inputs; older files also list every initializer here.</summary>
    public List<OnnxValueInfo> Inputs { get; } = [];

    public List<OnnxValueInfo> Outputs { get; } = [];

    public List<OnnxValueInfo> ValueInfo { get; } = [];

    /// <summary>The inputs a caller feeds: declared inputs that no initializer provides.</summary>
    public IReadOnlyList<OnnxValueInfo> RuntimeInputs
    {
        get
        {
            var initialized = Initializers.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            return Inputs.Where(i => !initialized.Contains(i.Name)).ToList();
        }
    }
}
