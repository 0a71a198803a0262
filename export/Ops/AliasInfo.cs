namespace Graphport.Operators;

/// <summary>An alias annotation such as (a) or (a!): the value shares storage with set "a", and ! means it is written.</summary>
public sealed record AliasInfo(string Set, bool IsWrite)
{
    public override string ToString() => $"({Set}{(IsWrite ? "!" : "")})";
}
