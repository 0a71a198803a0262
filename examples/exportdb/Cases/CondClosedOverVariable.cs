using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class CondClosedOverVariable : Module<Tensor, Tensor, Tensor>
{
    // Both lambdas capture `x`, a tensor of the enclosing method, instead of receiving it as an operand.
    public override Tensor Forward(Tensor pred, Tensor x) =>
        Cond(pred, ops => x * 2, ops => x - 2, [x + 1]);
}
// </example>

public sealed partial class CondClosedOverVariable : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "cond_closed_over_variable",
        Description: "Cond branches that capture a tensor from the enclosing method are rejected, because the tensor would " +
            "enter the subgraph without being one of its inputs; cond_closed_over_variable_rewrite passes it as an operand.",
        Tags: [TorchCond, PythonClosure],
        Support: SupportLevel.NotSupportedYet,
        Model: () => new CondClosedOverVariable(),
        ExampleArgs: () => [Torch.Tensor(new[] { true }), Randn(3, 2)]);
}
