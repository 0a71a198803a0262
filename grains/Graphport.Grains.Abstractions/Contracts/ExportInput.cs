namespace Graphport.Grains;

/// <summary>
/// One Forward argument of a module to export: its parameter name, dtype and example shape (random example
/// values are made from them unless <see cref="Example"/> is given), and which dims are dynamic.
/// </summary>
[GenerateSerializer, Immutable, Alias("Graphport.ExportInput")]
public sealed record ExportInput(
    [property: Id(0)] string Name,
    [property: Id(1)] string DType,
    [property: Id(2)] long[] Shape,
    [property: Id(3)] DimSpec[]? Dims = null,
    [property: Id(4)] TensorData? Example = null);
