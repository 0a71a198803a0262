using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class TensorAsBoolRewrite : Module<Tensor, Tensor>
{
    // The tensor condition goes to Cond, which records both branches and picks one when the program runs.
    public override Tensor Forward(Tensor x) =>
        Cond(x.Sum() > 0, static ops => ops[0].Sin(), static ops => ops[0].Cos(), [x]);
}
// </example>

public sealed partial class TensorAsBoolRewrite : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "tensor_as_bool_rewrite",
        Description: "The fix for tensor_as_bool: the data-dependent if becomes a Cond whose predicate is the one-element bool " +
            "tensor, so the program takes the right branch for every input.",
        Tags: [CSharpStrictMode, PythonControlFlow, TorchCond],
        Support: SupportLevel.Supported,
        Model: () => new TensorAsBoolRewrite(),
        ExampleArgs: () => [Ones(3, 3)])
    {
        RewriteOf = "tensor_as_bool",
        ExtraInputs = () => [[-Ones(3, 3)]],
    };
}
