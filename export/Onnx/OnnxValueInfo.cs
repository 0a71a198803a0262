namespace Graphport.Onnx;

/// <summary>A graph input or output as the model declares it: name, element type and shape (null where undeclared).</summary>
public sealed record OnnxValueInfo(string Name, OnnxDataType ElementType, IReadOnlyList<OnnxDim>? Shape)
{
    public override string ToString() =>
        $"{Name}: {ElementType.Describe()}{(Shape is null ? "" : "[" + string.Join(", ", Shape) + "]")}";
}
