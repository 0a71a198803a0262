using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class CondClosedOverVariableRewrite : Module<Tensor, Tensor, Tensor>
{
    // The captured tensor becomes a second operand; the lambdas capture nothing.
    public override Tensor Forward(Tensor pred, Tensor x) =>
        Cond(pred, ops => ops[1] * 2, ops => ops[1] - 2, [x + 1, x]);
}
// </example>

public sealed partial class CondClosedOverVariableRewrite : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "cond_closed_over_variable_rewrite",
        Description: "The fix for cond_closed_over_variable: the tensor the branches used to capture is passed in the operand " +
            "list, so each branch reads it from its own inputs.",
        Tags: [TorchCond, PythonClosure],
        Support: SupportLevel.Supported,
        Model: () => new CondClosedOverVariableRewrite(),
        ExampleArgs: () => [Torch.Tensor(new[] { true }), Randn(3, 2)])
    {
        RewriteOf = "cond_closed_over_variable",
        ExtraInputs = () => [[Torch.Tensor(new[] { false }), Randn(3, 2)]],
    };
}
