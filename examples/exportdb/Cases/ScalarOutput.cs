using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class ScalarOutput : Module<Tensor, SymInt>
{
    // Returns a size expression, not a tensor: the program outputs an int computed from the input's shape.
    public override SymInt Forward(Tensor x) => x.Shape[1] + 1;
}
// </example>

public sealed partial class ScalarOutput : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "scalar_output",
        Description: "Forward may return a symbolic size: it becomes a graph output computed from the input's shape, and " +
            "the exported module returns it as a number.",
        Tags: [TorchDynamicShape],
        Support: SupportLevel.Supported,
        Model: () => new ScalarOutput(),
        ExampleArgs: () => [Randn(3, 2)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [1] = new Dim("dim1_x") } },
        ExtraInputs = () => [[Randn(3, 9)]],
    };
}
