namespace Graphport;

/// <summary>
/// Which dimensions of the example inputs are dynamic (torch's dynamic_shapes): keyed by Forward's parameter
/// names, e.g. new() { ["x"] = new() { [0] = batch, [1] = inner } }, or by position with <see cref="Positional"/>.
/// </summary>
public sealed class DynamicShapes : Dictionary<string, ShapeSpec?>
{
    internal IReadOnlyList<ShapeSpec?>? PositionalSpecs { get; private init; }

    /// <summary>Specs in Forward's parameter order (torch's tuple form); null for an argument with no dynamic dims.</summary>
    public static DynamicShapes PositionalList(IReadOnlyList<ShapeSpec?> specs) => new() { PositionalSpecs = specs.ToArray() };

    // Fixed-arity overloads (rather than params) let `new() { [0] = dim }` target a ShapeSpec, not an array.
    public static DynamicShapes Positional(ShapeSpec? first) => PositionalList([first]);

    public static DynamicShapes Positional(ShapeSpec? first, ShapeSpec? second) => PositionalList([first, second]);

    public static DynamicShapes Positional(ShapeSpec? first, ShapeSpec? second, ShapeSpec? third) => PositionalList([first, second, third]);

    public static DynamicShapes Positional(ShapeSpec? first, ShapeSpec? second, ShapeSpec? third, ShapeSpec? fourth) => PositionalList([first, second, third, fourth]);
}

/// <summary>
/// The dynamic dims of one argument: for a tensor, dim index → Dim (new() { [0] = batch }); an int in place of
/// a Dim fixes that size. For list or dictionary arguments, use <see cref="List"/> or <see cref="Dict"/>.
/// </summary>
public sealed class ShapeSpec : Dictionary<int, Dim>
{
    internal IReadOnlyList<ShapeSpec?>? Items { get; private init; }

    internal IReadOnlyDictionary<string, ShapeSpec?>? Entries { get; private init; }

    /// <summary>Specs for the elements of a list/array argument.</summary>
    public static ShapeSpec List(params ShapeSpec?[] items) => new() { Items = items };

    /// <summary>Specs for the values of a dictionary argument.</summary>
    public static ShapeSpec Dict(IReadOnlyDictionary<string, ShapeSpec?> entries) => new() { Entries = entries };
}
