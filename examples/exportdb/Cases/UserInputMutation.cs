using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class UserInputMutation : Module<Tensor, Tensor>
{
    // Writes into the caller's tensor, then reads the written value.
    public override Tensor Forward(Tensor x)
    {
        x.Mul_(2.0);
        return x.Cos();
    }
}
// </example>

public sealed partial class UserInputMutation : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "user_input_mutation",
        Description: "An in-place write to an input is made functional in the graph and returned as a USER_INPUT_MUTATION " +
            "output, which the exported module copies back into the caller's tensor.",
        Tags: [TorchMutation],
        Support: SupportLevel.Supported,
        Model: () => new UserInputMutation(),
        ExampleArgs: () => [Randn(3, 2)]);
}
