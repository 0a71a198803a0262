using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class DynamicShapeAssert : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        // Two ways to state a precondition on a size: an explicit throw, and Check with a message.
        if (!(x.Shape[0] > 2))
            throw new ArgumentException($"{x.Shape[0]} must be greater than 2");
        Check(x.Shape[0] > 1, "x needs at least two rows");
        return x * 2;
    }
}
// </example>

public sealed partial class DynamicShapeAssert : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "dynamic_shape_assert",
        Description: "Preconditions on a dynamic size, written as an if that throws or as Check, hold for the example and are " +
            "folded into the size's range; the Dim must allow only sizes that pass them (min: 3 here).",
        Tags: [PythonAssert, TorchDynamicShape],
        Support: SupportLevel.Supported,
        Model: () => new DynamicShapeAssert(),
        ExampleArgs: () => [Randn(3, 2)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [0] = new Dim("rows", min: 3) } },
        ExtraInputs = () => [[Randn(9, 2)]],
        RejectedInputs = () => [[Randn(2, 2)]],
    };
}
