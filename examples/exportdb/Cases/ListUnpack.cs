using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class ListUnpack : Module<Tensor[], Tensor>
{
    public override Tensor Forward(Tensor[] args)
    {
        // A list pattern splits the array into its head and the rest (Python's `x, *y = args`).
        if (args is [var x, .. var rest])
            return x + rest[0];
        throw new ArgumentException("ListUnpack needs at least one tensor.");
    }
}
// </example>

public sealed partial class ListUnpack : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "list_unpack",
        Description: "An array input taken apart with a list pattern: the pattern matches on the array's length, which is fixed " +
            "by the example, so only the tensors it picks out reach the graph.",
        Tags: [PythonControlFlow, PythonDataStructure],
        Support: SupportLevel.Supported,
        Model: () => new ListUnpack(),
        ExampleArgs: () => [new[] { Randn(3, 2), Torch.Tensor(new float[] { 4 }), Torch.Tensor(new float[] { 5 }) }]);
}
