using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class UnsupportedOperator : Module<Tensor, Tensor>
{
    private static readonly Library Library = new("exportdb_no_meta", LibraryKind.Def);

    // The op has a kernel for real tensors but no abstract (meta) implementation, so nothing can tell the
    // tracer the shape of its result.
    static UnsupportedOperator()
    {
        Library.Define("scale(Tensor input) -> Tensor");
        Library.Impl("scale", (Tensor t) => t * 3);
    }

    public override Tensor Forward(Tensor x) => Ops["exportdb_no_meta::scale"].CallTensor(x.Sin());
}
// </example>

public sealed partial class UnsupportedOperator : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "unsupported_operator",
        Description: "A custom operator with only a real-tensor kernel runs eagerly but cannot be traced, because export needs " +
            "its output shapes without running it; unsupported_operator_rewrite adds the abstract implementation.",
        Tags: [TorchOperator],
        Support: SupportLevel.NotSupportedYet,
        Model: () => new UnsupportedOperator(),
        ExampleArgs: () => [Randn(3, 2)]);
}
