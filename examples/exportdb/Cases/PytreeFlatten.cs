using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class PytreeFlatten : Module<Dictionary<string, Tensor>, Tensor>
{
    public override Tensor Forward(Dictionary<string, Tensor> x)
    {
        // Walking a dictionary input in its (fixed) key order, as torch's tree_flatten would list its leaves.
        Tensor? total = null;
        foreach (var (_, value) in x)
            total = total is null ? value : total + value;
        return total! + 1;
    }
}
// </example>

public sealed partial class PytreeFlatten : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "pytree_flatten",
        Description: "Iterating over a dictionary input visits its entries in the example's key order; the loop is unrolled " +
            "over the tensors, the C# counterpart of flattening a pytree inside forward.",
        Tags: [PythonDataStructure],
        Support: SupportLevel.Supported,
        Model: () => new PytreeFlatten(),
        ExampleArgs: () => [new Dictionary<string, Tensor> { ["a"] = Randn(3, 2), ["b"] = Randn(3, 2) }]);
}
