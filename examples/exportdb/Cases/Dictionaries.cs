using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class Dictionaries : Module<Dictionary<string, Tensor>, Dictionary<string, Tensor>>
{
    public override Dictionary<string, Tensor> Forward(Dictionary<string, Tensor> inputs)
    {
        // A dictionary built and read inside Forward leaves no trace; the input and output dictionaries are
        // flattened into their tensors, keyed by name in the signature.
        var elements = new Dictionary<string, Tensor> { ["x2"] = inputs["x"] * inputs["x"] };
        var y = inputs["y"] * elements["x2"];
        return new() { ["y"] = y, ["x2"] = elements["x2"] };
    }
}
// </example>

public sealed partial class Dictionaries : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "dictionary",
        Description: "Dictionaries work as inputs, as scratch space inside Forward, and as outputs: their tensors become separate " +
            "graph inputs and outputs, and the exported module rebuilds the dictionary around them.",
        Tags: [PythonDataStructure],
        Support: SupportLevel.Supported,
        Model: () => new Dictionaries(),
        ExampleArgs: () => [new Dictionary<string, Tensor> { ["x"] = Randn(3, 2), ["y"] = Torch.Tensor(new float[] { 4 }) }]);
}
