using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class DynamicShapeRoundRewrite : Module<Tensor, Tensor>
{
    // Half rounded up, in integer arithmetic on the symbolic size: (s0 + 1) // 2 stays an expression.
    public override Tensor Forward(Tensor x) => x[TensorIndex.Slice(stop: (x.Shape[0] + 1) / 2)];
}
// </example>

public sealed partial class DynamicShapeRoundRewrite : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "dynamic_shape_round_rewrite",
        Description: "The fix for dynamic_shape_round: rounding half up is written with integer division on the SymInt, which " +
            "export keeps as a size expression, so the size stays dynamic.",
        Tags: [TorchDynamicShape, PythonBuiltin],
        Support: SupportLevel.Supported,
        Model: () => new DynamicShapeRoundRewrite(),
        ExampleArgs: () => [Randn(3, 2)])
    {
        RewriteOf = "dynamic_shape_round",
        DynamicShapes = () => new() { ["x"] = new() { [0] = new Dim("dim0_x") } },
        ExtraInputs = () => [[Randn(8, 2)], [Randn(9, 2)]],
    };
}
