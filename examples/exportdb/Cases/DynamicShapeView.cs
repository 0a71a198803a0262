using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class DynamicShapeView : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        // All sizes but the last, then the last split in two: the view's shape is built from x.Shape.
        SymInt[] newShape = [.. x.Shape.Take(x.Ndim - 1), 2, 5];
        return x.View(newShape).Permute(0, 2, 1);
    }
}
// </example>

public sealed partial class DynamicShapeView : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "dynamic_shape_view",
        Description: "A view whose shape is assembled from the input's sizes keeps the dynamic ones symbolic, and the permute " +
            "after it moves them along.",
        Tags: [TorchDynamicShape],
        Support: SupportLevel.Supported,
        Model: () => new DynamicShapeView(),
        ExampleArgs: () => [Randn(10, 10)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [0] = new Dim("batch") } },
        ExtraInputs = () => [[Randn(4, 10)]],
    };
}
