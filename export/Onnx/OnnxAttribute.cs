using System.Text;

namespace Graphport.Onnx;

/// <summary>AttributeProto.AttributeType (numbers as in onnx.proto).</summary>
public enum OnnxAttributeType
{
    Undefined = 0,
    Float = 1,
    Int = 2,
    String = 3,
    Tensor = 4,
    Graph = 5,
    Floats = 6,
    Ints = 7,
    Strings = 8,
    Tensors = 9,
    Graphs = 10,
}

/// <summary>A node attribute: one value of the kind <see cref="Type"/> names.</summary>
public sealed class OnnxAttribute
{
    internal OnnxAttribute() { }

    public string Name { get; internal set; } = "";

    public OnnxAttributeType Type { get; internal set; }

    public float Float { get; internal set; }

    public long Int { get; internal set; }

    public byte[] Bytes { get; internal set; } = [];

    public string String => Encoding.UTF8.GetString(Bytes);

    public OnnxTensor? Tensor { get; internal set; }

    public OnnxGraph? Graph { get; internal set; }

    public List<float> Floats { get; } = [];

    public List<long> Ints { get; } = [];

    public List<string> Strings { get; } = [];

    public List<OnnxTensor> Tensors { get; } = [];

    public List<OnnxGraph> Graphs { get; } = [];

    /// <summary>Old files (IR version 1) leave the type out; infer it from the field that is set.</summary>
    internal void InferTypeIfMissing()
    {
        if (Type != OnnxAttributeType.Undefined) return;
        Type = Ints.Count > 0 ? OnnxAttributeType.Ints
            : Floats.Count > 0 ? OnnxAttributeType.Floats
            : Strings.Count > 0 ? OnnxAttributeType.Strings
            : Tensor is not null ? OnnxAttributeType.Tensor
            : Graph is not null ? OnnxAttributeType.Graph
            : Bytes.Length > 0 ? OnnxAttributeType.String
            : Float != 0 ? OnnxAttributeType.Float
            : OnnxAttributeType.Int;
    }

    public override string ToString() => Type switch
    {
        OnnxAttributeType.Float => $"{Name}={Float}",
        OnnxAttributeType.Int => $"{Name}={Int}",
        OnnxAttributeType.String => $"{Name}=\"{String}\"",
        OnnxAttributeType.Ints => $"{Name}=[{string.Join(", ", Ints)}]",
        OnnxAttributeType.Floats => $"{Name}=[{string.Join(", ", Floats)}]",
        OnnxAttributeType.Strings => $"{Name}=[{string.Join(", ", Strings.Select(s => $"\"{s}\""))}]",
        OnnxAttributeType.Tensor => $"{Name}=<{Tensor}>",
        OnnxAttributeType.Graph => $"{Name}=<graph>",
        _ => $"{Name}=<{Type}>",
    };
}
