using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class TryCatch : Module<Tensor, Tensor>
{
    private readonly long parts = 0;

    private static Tensor Split(Tensor x, long parts) =>
        parts > 0 ? x / parts : throw new ArgumentOutOfRangeException(nameof(parts), "parts must be positive");

    // Exceptions as control flow: which path runs is decided by a throw, which a graph cannot express.
    public override Tensor Forward(Tensor x)
    {
        x = x + 1;
        try
        {
            return Split(x, parts);
        }
        catch (ArgumentOutOfRangeException)
        {
            return x + 2;
        }
    }
}
// </example>

public sealed partial class TryCatch : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "try_catch",
        Description: "Strict export refuses a try/catch that catches an exception thrown by the traced code, because the path " +
            "taken would depend on a throw; try_catch_non_strict traces the path the example takes.",
        Tags: [CSharpStrictMode, CSharpExceptions],
        Support: SupportLevel.NotSupportedYet,
        Model: () => new TryCatch(),
        ExampleArgs: () => [Randn(3, 3)]);

    /// <summary>The same module exported without the IL check.</summary>
    public sealed class NonStrict : IExportDbExample
    {
        public static ExportDbCase Case { get; } = new(
            Name: "try_catch_non_strict",
            Description: "Non-strict export runs the try/catch as ordinary C#: the throw happens while tracing, and only the " +
                "operations on the path actually taken (the catch block's) are recorded.",
            Tags: [CSharpStrictMode, CSharpExceptions],
            Support: SupportLevel.Supported,
            Model: () => new TryCatch(),
            ExampleArgs: () => [Randn(3, 3)])
        {
            Strict = false,
            RewriteOf = "try_catch",
            ExtraInputs = () => [[Randn(3, 3)]],
        };
    }
}
