using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class ModelAttrMutationRewrite : Module<Tensor, Tensor>
{
    // Registered state, written in place: export turns the writes into buffer-mutation outputs.
    private readonly Buffer first = new(Randn(3, 2));
    private readonly Buffer second = new(Randn(3, 2));

    public override Tensor Forward(Tensor x)
    {
        first.Zero_();
        second.Zero_();
        return x.Sum() + first.Sum();
    }
}
// </example>

public sealed partial class ModelAttrMutationRewrite : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "model_attr_mutation_rewrite",
        Description: "The fix for model_attr_mutation: the tensors live in buffers and Forward overwrites them in place, which " +
            "export records as BUFFER_MUTATION outputs that the exported module writes back.",
        Tags: [PythonObjectModel, TorchMutation],
        Support: SupportLevel.Supported,
        Model: () => new ModelAttrMutationRewrite(),
        ExampleArgs: () => [Randn(3, 2)])
    {
        RewriteOf = "model_attr_mutation",
    };
}
