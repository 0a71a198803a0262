using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class Decorator : Module<Tensor, Tensor, Tensor>
{
    // C# has no function decorators; the nearest habits are a higher-order helper that wraps a function and an
    // extension method that adds behaviour at the call site. Both are ordinary calls to the tracer.
    private static readonly Func<Tensor, Tensor, Tensor> Add = PlusOne.Wrap((x, y) => x + y);

    public override Tensor Forward(Tensor x, Tensor y) => Add(x, y).Doubled();
}

public static class PlusOne
{
    public static Func<Tensor, Tensor, Tensor> Wrap(Func<Tensor, Tensor, Tensor> fn) => (x, y) => fn(x, y) + 1;

    public static Tensor Doubled(this Tensor t) => t * 2;
}
// </example>

public sealed partial class Decorator : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "decorator",
        Description: "The C# stand-in for a Python decorator: Forward calls a function wrapped by a higher-order helper, then an " +
            "extension method; the wrappers vanish and only their tensor operations reach the graph.",
        Tags: [PythonObjectModel],
        Support: SupportLevel.Supported,
        Model: () => new Decorator(),
        ExampleArgs: () => [Randn(3, 2), Randn(3, 2)]);
}
