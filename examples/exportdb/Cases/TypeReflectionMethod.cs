using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed class Adder
{
    public static Tensor Func(Tensor x) => 1 + x;
}

public sealed partial class TypeReflectionMethod : Module<Tensor, Tensor>
{
    // The method is found at run time from the object's type (Python's type(a).func(x)).
    public override Tensor Forward(Tensor x)
    {
        object a = new Adder();
        var method = a.GetType().GetMethod(nameof(Adder.Func))!;
        return (Tensor)method.Invoke(null, [x])!;
    }
}
// </example>

public sealed partial class TypeReflectionMethod : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "type_reflection_method",
        Description: "A static method found by reflection on an object's type and invoked through MethodInfo; reflection " +
            "runs while tracing like any other call, so only the method's tensor operations are recorded.",
        Tags: [PythonBuiltin, CSharpReflection],
        Support: SupportLevel.Supported,
        Model: () => new TypeReflectionMethod(),
        ExampleArgs: () => [Randn(3, 4)]);
}
