namespace Graphport.Operators;

/// <summary>
/// An alias annotation such as (a) or (a!): the value shares storage with set "a", and ! means it is written. A list
/// argument written (a -> *) has elements that alias set "a" (<see cref="AfterSet"/> "*"), as split's outputs do.
/// </summary>
public sealed record AliasInfo(string Set, bool IsWrite, string? AfterSet = null)
{
    public override string ToString() => $"({Set}{(IsWrite ? "!" : "")}{(AfterSet is null ? "" : $" -> {AfterSet}")})";
}
