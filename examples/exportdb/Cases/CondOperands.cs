using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class CondOperands : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y)
    {
        // Each branch takes the whole operand list, in the order given to Cond.
        static Tensor TrueFn(Tensor[] ops) => ops[0] + ops[1];

        static Tensor FalseFn(Tensor[] ops) => ops[0] - ops[1];

        return Cond(x.Shape[0] > 2, TrueFn, FalseFn, [x, y]);
    }
}
// </example>

public sealed partial class CondOperands : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "cond_operands",
        Description: "The operands of Cond are a list of tensors that both branches receive; with a dynamic first dimension the " +
            "predicate stays symbolic, so one program serves inputs that take either branch.",
        Tags: [TorchCond, TorchDynamicShape],
        Support: SupportLevel.Supported,
        Model: () => new CondOperands(),
        ExampleArgs: () => [Randn(3, 2), Randn(2)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [0] = new Dim("dim0_x") }, ["y"] = null },
        ExtraInputs = () => [[Randn(2, 2), Randn(2)], [Randn(6, 2), Randn(2)]],
    };
}
