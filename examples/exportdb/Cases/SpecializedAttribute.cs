using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public enum Animal
{
    Cow,
    Pig,
}

public sealed partial class SpecializedAttribute : Module<Tensor, Tensor>
{
    private readonly Animal animal = Animal.Cow;
    private readonly string sound = "moo";
    private readonly long offset = 4;

    // Plain fields are not inputs: their values are read while tracing and the comparisons are decided then.
    public override Tensor Forward(Tensor x)
    {
        if (animal == Animal.Cow && sound == "moo")
            return x * x + offset;
        throw new InvalidOperationException($"Unexpected {animal} saying {sound}.");
    }
}
// </example>

public sealed partial class SpecializedAttribute : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "specialized_attribute",
        Description: "Enum, string and integer fields of the module are constants to export: comparisons on them are decided " +
            "while tracing and the integer is baked into the graph.",
        Tags: [PythonObjectModel],
        Support: SupportLevel.Supported,
        Model: () => new SpecializedAttribute(),
        ExampleArgs: () => [Randn(3, 2)]);
}
