using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class DynamicShapeRound : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        // Floating point has no symbolic form: (long) turns the size into the example's number, which
        // contradicts the Dim that says the size may vary.
        var half = (long)Math.Round((long)x.Shape[0] / 2.0, MidpointRounding.AwayFromZero);
        return x[TensorIndex.Slice(stop: half)];
    }
}
// </example>

public sealed partial class DynamicShapeRound : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "dynamic_shape_round",
        Description: "Rounding a dynamic size through floating point (Math.Round) needs a concrete number, so the size is " +
            "specialized to the example's value, which a named Dim forbids; dynamic_shape_round_rewrite stays in integers.",
        Tags: [TorchDynamicShape, PythonBuiltin],
        Support: SupportLevel.NotSupportedYet,
        Model: () => new DynamicShapeRound(),
        ExampleArgs: () => [Randn(3, 2)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [0] = new Dim("dim0_x") } },
    };
}
