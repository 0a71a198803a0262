using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class StaticForLoop : Module<Tensor, List<Tensor>>
{
    // The trip count is a constant, so tracing unrolls the loop into ten additions.
    public override List<Tensor> Forward(Tensor x)
    {
        var ret = new List<Tensor>();
        for (int i = 0; i < 10; i++)
            ret.Add(x + i);
        return ret;
    }
}
// </example>

public sealed partial class StaticForLoop : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "static_for_loop",
        Description: "A for loop with a constant trip count is unrolled while tracing: each iteration adds its own node, and " +
            "the returned list becomes ten outputs.",
        Tags: [PythonControlFlow],
        Support: SupportLevel.Supported,
        Model: () => new StaticForLoop(),
        ExampleArgs: () => [Randn(3, 2)]);
}
