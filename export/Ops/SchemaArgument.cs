namespace Graphport.Operators;

/// <summary>One declared argument: its type, alias annotation, default (parsed and as written) and whether it is keyword-only.</summary>
public sealed record SchemaArgument(string Name, SchemaType Type, AliasInfo? Alias, bool HasDefault, object? Default, string? DefaultText, bool KwargOnly)
{
    public override string ToString()
    {
        string type = Alias is null ? Type.ToString() : Type.Base + Alias + (Type.IsList ? (Type.FixedSize is int n ? $"[{n}]" : "[]") : "") + (Type.IsOptional ? "?" : "");
        return HasDefault ? $"{type} {Name}={DefaultText}" : $"{type} {Name}";
    }
}
