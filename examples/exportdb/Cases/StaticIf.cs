using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class StaticIf : Module<Tensor, Tensor>
{
    // The rank is part of the input's type, never symbolic: only the taken branch is traced.
    public override Tensor Forward(Tensor x)
    {
        if (x.Ndim == 3)
            return x + Ones(1, 1, 1);
        return x;
    }
}
// </example>

public sealed partial class StaticIf : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "static_if",
        Description: "An if on a static property of the input, its number of dimensions, is ordinary C#: the branch is chosen " +
            "while tracing and the other one leaves nothing in the graph.",
        Tags: [PythonControlFlow],
        Support: SupportLevel.Supported,
        Model: () => new StaticIf(),
        ExampleArgs: () => [Randn(3, 2, 2)]);
}
