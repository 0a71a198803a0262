using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class DynamicShapeSlicing : Module<Tensor, Tensor>
{
    // Start and stop are expressions over the dynamic sizes (x[:rows - 2, cols - 1::2]); they are recorded in
    // the graph, not evaluated for the example.
    public override Tensor Forward(Tensor x) =>
        x[TensorIndex.Slice(stop: x.Shape[0] - 2), TensorIndex.Slice(x.Shape[1] - 1, null, 2)];
}
// </example>

public sealed partial class DynamicShapeSlicing : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "dynamic_shape_slicing",
        Description: "Slices whose bounds are computed from dynamic sizes are captured with symbolic start and stop, so the " +
            "result's shape is an expression of the input's.",
        Tags: [TorchDynamicShape],
        Support: SupportLevel.Supported,
        Model: () => new DynamicShapeSlicing(),
        ExampleArgs: () => [Randn(3, 2)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [0] = new Dim("rows"), [1] = new Dim("cols") } },
        ExtraInputs = () => [[Randn(4, 6)], [Randn(10, 11)]],
    };
}
