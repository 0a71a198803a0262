using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class ListContains : Module<Tensor, Tensor>
{
    private static readonly long[] AllowedWidths = [6, 2];
    private static readonly SymInt[] ForbiddenHeights = [4, 5, 6];

    public override Tensor Forward(Tensor x)
    {
        // A static size can be looked up with Contains; a dynamic one is compared element by element, because
        // only the comparison operators give a symbolic answer (and a guard).
        Check(AllowedWidths.Contains((long)x.Shape[^1]), "width must be 6 or 2");
        Check(!ForbiddenHeights.Any(h => x.Shape[0] == h), "height must not be 4, 5 or 6");
        Check(!new[] { "cow", "pig" }.Contains("monkey"));
        return x + x;
    }
}
// </example>

public sealed partial class ListContains : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "list_contains",
        Description: "Membership tests on lists inside Check: a static size is looked up with Contains, a dynamic one with ==, " +
            "which turns each comparison into a guard on the size.",
        Tags: [TorchDynamicShape, PythonDataStructure, PythonAssert],
        Support: SupportLevel.Supported,
        Model: () => new ListContains(),
        ExampleArgs: () => [Randn(3, 2)])
    {
        DynamicShapes = () => new() { ["x"] = new() { [0] = Dim.Auto } },
        ExtraInputs = () => [[Randn(8, 2)]],
        RejectedInputs = () => [[Randn(4, 2)], [Randn(3, 3)]],
    };
}
