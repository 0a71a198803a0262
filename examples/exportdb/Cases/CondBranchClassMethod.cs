using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class CondBranchClassMethod : Module<Tensor, Tensor>
{
    private sealed class MySubModule : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x) => x.Cos();
    }

    private readonly MySubModule subm = new();

    private Tensor CallSubmodule(Tensor[] ops) => subm.Call(ops[0]);

    private Tensor Bar(Tensor[] ops) => ops[0].Sin();

    // Branches may be instance methods (method groups bound to `this`), including ones that call a submodule.
    public override Tensor Forward(Tensor x) => Cond(x.Shape[0] <= 2, CallSubmodule, Bar, [x]);
}
// </example>

public sealed partial class CondBranchClassMethod : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "cond_branch_class_method",
        Description: "The branches of Cond can be instance methods of the module, and a branch may call a submodule; " +
            "both branches are traced into subgraphs of one cond node.",
        Tags: [TorchCond, TorchDynamicShape],
        Support: SupportLevel.Supported,
        Model: () => new CondBranchClassMethod(),
        ExampleArgs: () => [Randn(3)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [0] = new Dim("n") } },
        ExtraInputs = () => [[Randn(2)], [Randn(7)]],
    };
}
