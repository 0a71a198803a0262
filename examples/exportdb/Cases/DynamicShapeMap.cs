using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class DynamicShapeMap : Module<Tensor, Tensor, Tensor>
{
    // The body sees one row of xs at a time, plus the extra arguments unchanged.
    public override Tensor Forward(Tensor xs, Tensor y) => Map(static (x, rest) => x + rest[0], xs, y);
}
// </example>

public sealed partial class DynamicShapeMap : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "dynamic_shape_map",
        Description: "Map applies a function to each slice along the leading dimension; it is exported as one map node over a " +
            "traced body, so the number of slices can be dynamic.",
        Tags: [TorchDynamicShape, TorchMap],
        Support: SupportLevel.Supported,
        Model: () => new DynamicShapeMap(),
        ExampleArgs: () => [Randn(3, 2), Randn(2)])
    {
        DynamicShapes = () => new() { ["xs"] = new() { [0] = new Dim("n") }, ["y"] = null },
        ExtraInputs = () => [[Randn(5, 2), Randn(2)]],
    };
}
