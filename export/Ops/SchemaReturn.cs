namespace Graphport.Operators;

/// <summary>One declared return value, possibly named (values, indices) and alias-annotated (views return Tensor(a)).</summary>
public sealed record SchemaReturn(string? Name, SchemaType Type, AliasInfo? Alias)
{
    public override string ToString()
    {
        string type = Alias is null ? Type.ToString() : Type.Base + Alias + (Type.IsList ? "[]" : "");
        return Name is null ? type : $"{type} {Name}";
    }
}
