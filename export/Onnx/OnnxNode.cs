namespace Graphport.Onnx;

/// <summary>A NodeProto: one op call with its input and output value names and attributes.</summary>
public sealed class OnnxNode
{
    internal OnnxNode() { }

    public string Name { get; internal set; } = "";

    public string OpType { get; internal set; } = "";

    /// <summary>"" (or "ai.onnx") for the standard ops; anything else is a custom domain.</summary>
    public string Domain { get; internal set; } = "";

    /// <summary>Input value names; "" marks an optional input left out.</summary>
    public List<string> Inputs { get; } = [];

    public List<string> Outputs { get; } = [];

    public Dictionary<string, OnnxAttribute> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>Position in the graph's node list (the node's "line" in messages and in node metadata).</summary>
    public int Index { get; internal set; }

    /// <summary>"Conv_12 (Conv)" — or "node #12 (Conv)" for unnamed nodes.</summary>
    public string Describe() => $"{(Name.Length > 0 ? $"'{Name}'" : $"#{Index}")} ({OpType})";

    /// <summary>"y = Conv(x, w, b) [kernel_shape=[3, 3], pads=[1, 1, 1, 1]]": what node metadata shows as the source line.</summary>
    public string Signature()
    {
        string attrs = Attributes.Count == 0 ? "" : " [" + string.Join(", ", Attributes.Values.Select(a => a.ToString())) + "]";
        return $"{string.Join(", ", Outputs)} = {OpType}({string.Join(", ", Inputs)}){attrs}";
    }
}
