using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class DynamicShapeIfGuard : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        // Decided for the example (6 > 4): only the cos branch is traced, and the decision becomes part of
        // the size's range, so the program refuses inputs that would have taken the other branch.
        if (x.Shape[0] > 4)
            return x.Cos();
        return x.Sin();
    }
}
// </example>

public sealed partial class DynamicShapeIfGuard : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "dynamic_shape_if_guard",
        Description: "An if on a dynamic size is decided for the example input and kept as a guard; with Dim.Auto export narrows " +
            "the size's range to the branch taken instead of reporting a constraint violation.",
        Tags: [TorchDynamicShape, PythonControlFlow],
        Support: SupportLevel.Supported,
        Model: () => new DynamicShapeIfGuard(),
        ExampleArgs: () => [Randn(6, 2, 2)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [0] = Dim.Auto } },
        ExtraInputs = () => [[Randn(9, 2, 2)]],
        RejectedInputs = () => [[Randn(3, 2, 2)]],
    };
}
