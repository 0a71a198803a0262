using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class OptionalInput : Module<Tensor, Tensor?, Tensor>
{
    // C# defaults must be constants, so an optional tensor defaults to null; the null test is decided for
    // the example (no y) and the program is specialized to that answer.
    public override Tensor Forward(Tensor x, Tensor? y = null)
    {
        if (y is not null)
            return x + y;
        return x * 2;
    }
}
// </example>

public sealed partial class OptionalInput : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "optional_input",
        Description: "An optional tensor parameter left at its null default: export binds the default, takes the `is null` " +
            "branch, and the program expects null there again.",
        Tags: [PythonObjectModel],
        Support: SupportLevel.Supported,
        Model: () => new OptionalInput(),
        ExampleArgs: () => [Randn(2, 3)])
    {
        ExtraInputs = () => [[Randn(2, 3), null]],
    };
}
