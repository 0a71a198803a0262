using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class TorchSymMin : Module<Tensor, Tensor>
{
    // Pads with as many zero rows as x has, but at most 100: Math.Min would need numbers, SymInt.Min keeps
    // min(rows, 100) as an expression that the program evaluates for each input.
    public override Tensor Forward(Tensor x)
    {
        var padding = Zeros([SymInt.Min(x.Shape[0], 100), x.Shape[1]]);
        return Cat([x, padding]);
    }
}
// </example>

public sealed partial class TorchSymMin : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "torch_sym_min",
        Description: "SymInt.Min, the counterpart of torch.sym_min, takes the smaller of a dynamic size and a constant without " +
            "deciding which one it is; the program computes it for each input.",
        Tags: [TorchOperator],
        Support: SupportLevel.Supported,
        Model: () => new TorchSymMin(),
        ExampleArgs: () => [Randn(3, 2)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [0] = new Dim("rows") } },
        ExtraInputs = () => [[Randn(120, 2)]],
    };
}
