using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class ClassMethod : Module<Tensor, Tensor>
{
    private readonly Linear linear = new(4, 2);

    private static long Method(long x) => x + 1;

    public override Tensor Forward(Tensor x)
    {
        x = linear.Call(x);
        // A static method called unqualified, through the class name, and on another class: all plain calls.
        return x * Method(1) * ClassMethod.Method(1) * Scaling.Twice(1);
    }
}

public static class Scaling
{
    public static long Twice(long x) => 2 * x;
}
// </example>

public sealed partial class ClassMethod : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "class_method",
        Description: "Static methods, whether called unqualified, through the class name or on a helper class, run while tracing " +
            "and leave only their tensor operations (with their results as constants) in the graph.",
        Tags: [PythonObjectModel],
        Support: SupportLevel.Supported,
        Model: () => new ClassMethod(),
        ExampleArgs: () => [Randn(3, 4)]);
}
