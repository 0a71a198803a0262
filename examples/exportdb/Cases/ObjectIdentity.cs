using System.Runtime.CompilerServices;
using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class ObjectIdentity : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        var y = x + 1;
        // Identity hashes (Python's id()) depend on the object, not on the values; here they only confirm
        // that y is still the same object, so the answer is the same in every run.
        bool unchanged = RuntimeHelpers.GetHashCode(y) == RuntimeHelpers.GetHashCode(y);
        return unchanged ? y * 2 : y;
    }
}
// </example>

public sealed partial class ObjectIdentity : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "object_identity",
        Description: "Strict export refuses values derived from object identity (RuntimeHelpers.GetHashCode), because a traced " +
            "tensor is a different object from the one the program will get; object_identity_non_strict bakes the value in.",
        Tags: [CSharpStrictMode, CSharpReflection],
        Support: SupportLevel.NotSupportedYet,
        Model: () => new ObjectIdentity(),
        ExampleArgs: () => [Randn(3, 3)]);

    /// <summary>The same module exported without the IL check.</summary>
    public sealed class NonStrict : IExportDbExample
    {
        public static ExportDbCase Case { get; } = new(
            Name: "object_identity_non_strict",
            Description: "Non-strict export evaluates the identity comparison on the traced objects and keeps its result as a " +
                "constant, which is right here because the answer does not depend on which objects they are.",
            Tags: [CSharpStrictMode, CSharpReflection],
            Support: SupportLevel.Supported,
            Model: () => new ObjectIdentity(),
            ExampleArgs: () => [Randn(3, 3)])
        {
            Strict = false,
            RewriteOf = "object_identity",
            ExtraInputs = () => [[Randn(3, 3)]],
        };
    }
}
