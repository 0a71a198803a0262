using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class DynamicShapeConstructor : Module<Tensor, Tensor>
{
    // The size expression stays symbolic: the program allocates 2 * s0 elements for any s0.
    public override Tensor Forward(Tensor x) => Zeros([x.Shape[0] * 2]);
}
// </example>

public sealed partial class DynamicShapeConstructor : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "dynamic_shape_constructor",
        Description: "A tensor factory sized by an expression over a dynamic size records the expression in the graph, " +
            "so the new tensor's size follows the input's.",
        Tags: [TorchDynamicShape],
        Support: SupportLevel.Supported,
        Model: () => new DynamicShapeConstructor(),
        ExampleArgs: () => [Randn(3, 2)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [0] = new Dim("dim0_x") } },
        ExtraInputs = () => [[Randn(7, 2)]],
    };
}
