using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class NullContextManager : Module<Tensor, Tensor>
{
    private sealed class NoOpScope : IDisposable
    {
        public static readonly NoOpScope Instance = new();

        public void Dispose()
        {
        }
    }

    // `using` is C#'s `with`; a scope that does nothing on entry or exit (contextlib.nullcontext).
    public override Tensor Forward(Tensor x)
    {
        using (NoOpScope.Instance)
            return x.Sin() + x.Cos();
    }
}
// </example>

public sealed partial class NullContextManager : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "null_context_manager",
        Description: "A using block over a do-nothing IDisposable, the counterpart of contextlib.nullcontext; the compiler's " +
            "try/finally around it catches nothing, so the block is traced as straight-line code.",
        Tags: [PythonContextManager],
        Support: SupportLevel.Supported,
        Model: () => new NullContextManager(),
        ExampleArgs: () => [Randn(3, 2)]);
}
