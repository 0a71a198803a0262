using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class CondBranchNonlocalVariables : Module<Tensor, Tensor>
{
    private readonly Tensor data = Ones(6);
    private readonly Buffer myBuffer = new(Ones(6) * 2);

    public override Tensor Forward(Tensor x)
    {
        var myTensorVar = x + 100;
        const double myPrimitiveVar = 3.14;

        // Rather than capturing myTensorVar, the constant tensor and the buffer, the branches receive them as
        // operands; a compile-time constant may be used directly.
        static Tensor TrueFn(Tensor[] ops) => ops[0] + ops[1] * ops[2] + ops[3] + myPrimitiveVar;

        static Tensor FalseFn(Tensor[] ops) => ops[0] - ops[1] * ops[2] - ops[3] - myPrimitiveVar;

        return Cond(x.Shape[0] > 5, TrueFn, FalseFn, [x, myTensorVar, data, myBuffer]);
    }
}
// </example>

public sealed partial class CondBranchNonlocalVariables : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "cond_branch_nonlocal_variables",
        Description: "Tensors a branch needs from outside (a local, a constant tensor field, a buffer) are passed to Cond as " +
            "operands instead of being captured; this is the pattern that makes closure-style branches exportable.",
        Tags: [TorchCond, TorchDynamicShape],
        Support: SupportLevel.Supported,
        Model: () => new CondBranchNonlocalVariables(),
        ExampleArgs: () => [Randn(6)]);
}
