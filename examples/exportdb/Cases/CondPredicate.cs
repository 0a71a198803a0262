using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class CondPredicate : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        // A predicate made of sizes: a C# bool combined with a symbolic comparison.
        var shapePredicate = x.Dim() > 2 && x.Shape[2] > 10;
        var y = Cond(shapePredicate, ops => ops[0].Cos(), ops => ops[0].Sin(), [x]);

        // A predicate computed from data: a one-element bool tensor.
        var tensorPredicate = y.Sum() > 0;
        return Cond(tensorPredicate, ops => ops[0] + 1, ops => ops[0] - 1, [y]);
    }
}
// </example>

public sealed partial class CondPredicate : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "cond_predicate",
        Description: "A Cond predicate is either a boolean expression on sizes or a tensor holding a single bool; both stay " +
            "in the program as the first argument of the cond node instead of being decided while tracing.",
        Tags: [TorchCond, TorchDynamicShape],
        Support: SupportLevel.Supported,
        Model: () => new CondPredicate(),
        ExampleArgs: () => [Randn(6, 4, 3)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [2] = new Dim("dim2_x") } },
        ExtraInputs = () => [[Randn(6, 4, 12)], [-Ones(6, 4, 2)]],
    };
}
