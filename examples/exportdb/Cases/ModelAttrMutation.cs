using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class ModelAttrMutation : Module<Tensor, Tensor>
{
    private Tensor[] attrList = [Randn(3, 2), Randn(3, 2)];

    private static Tensor[] RecreateList() => [Zeros(3, 2), Zeros(3, 2)];

    public override Tensor Forward(Tensor x)
    {
        // Replaces the field's value: state the program would have to carry between calls.
        attrList = RecreateList();
        return x.Sum() + attrList[0].Sum();
    }
}
// </example>

public sealed partial class ModelAttrMutation : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "model_attr_mutation",
        Description: "Forward assigns a new array of tensors to a plain field; the program cannot express that change, so export " +
            "rejects it and puts the old value back (model_attr_mutation_rewrite keeps the state in buffers instead).",
        Tags: [PythonObjectModel],
        Support: SupportLevel.NotSupportedYet,
        Model: () => new ModelAttrMutation(),
        ExampleArgs: () => [Randn(3, 2)]);
}
