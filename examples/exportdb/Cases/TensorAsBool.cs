using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class TensorAsBool : Module<Tensor, Tensor>
{
    // `if` on a tensor needs its value: a branch on data, which one graph cannot hold.
    public override Tensor Forward(Tensor x)
    {
        if (x.Sum() > 0)
            return x.Sin();
        return x.Cos();
    }
}
// </example>

public sealed partial class TensorAsBool : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "tensor_as_bool",
        Description: "Strict export reads the IL, sees a tensor converted to bool for an if, and refuses it, naming the line; " +
            "tensor_as_bool_rewrite keeps both branches with Cond.",
        Tags: [CSharpStrictMode, PythonControlFlow],
        Support: SupportLevel.NotSupportedYet,
        Model: () => new TensorAsBool(),
        ExampleArgs: () => [Ones(3, 3)]);

    /// <summary>The same module exported without the IL check.</summary>
    public sealed class NonStrict : IExportDbExample
    {
        public static ExportDbCase Case { get; } = new(
            Name: "tensor_as_bool_non_strict",
            Description: "Non-strict export gets past the IL check but still cannot decide the if: tracing tensors carry no " +
                "data, so the branch fails as data-dependent, as it does in torch's non-strict mode.",
            Tags: [CSharpStrictMode, PythonControlFlow],
            Support: SupportLevel.NotSupportedYet,
            Model: () => new TensorAsBool(),
            ExampleArgs: () => [Ones(3, 3)])
        {
            Strict = false,
        };
    }
}
