using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class CondBranchNestedFunction : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        // The branches are local functions with local functions of their own; the inner ones capture the
        // branch's operand, which is a value of the branch, not of the enclosing method.
        static Tensor TrueFn(Tensor[] ops)
        {
            var x = ops[0];
            Tensor InnerTrueFn(Tensor y) => x + y;
            return InnerTrueFn(x);
        }

        static Tensor FalseFn(Tensor[] ops)
        {
            var x = ops[0];
            Tensor InnerFalseFn(Tensor y) => x - y;
            return InnerFalseFn(x);
        }

        return Cond(x.Shape[0] < 10, TrueFn, FalseFn, [x]);
    }
}
// </example>

public sealed partial class CondBranchNestedFunction : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "cond_branch_nested_function",
        Description: "Cond branches written as local functions, which define and call local functions of their own, " +
            "are traced through: the nesting disappears and each branch becomes one subgraph.",
        Tags: [TorchCond, TorchDynamicShape],
        Support: SupportLevel.Supported,
        Model: () => new CondBranchNestedFunction(),
        ExampleArgs: () => [Randn(3)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [0] = new Dim("n") } },
        ExtraInputs = () => [[Randn(12)]],
    };
}
