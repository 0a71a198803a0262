using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class NestedFunction : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor a, Tensor b)
    {
        var x = a + b;
        var z = a - b;

        // A local function that reads one captured local and reassigns another (Python's nonlocal).
        Tensor Closure(Tensor y)
        {
            x += 1;
            return x * y + z;
        }

        return Closure(x);
    }
}
// </example>

public sealed partial class NestedFunction : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "nested_function",
        Description: "A local function that captures locals of Forward, and reassigns one of them, runs like any other code " +
            "while tracing; the graph only shows the arithmetic.",
        Tags: [PythonClosure],
        Support: SupportLevel.Supported,
        Model: () => new NestedFunction(),
        ExampleArgs: () => [Randn(3, 2), Randn(2)]);
}
