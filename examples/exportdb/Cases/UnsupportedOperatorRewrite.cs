using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class UnsupportedOperatorRewrite : Module<Tensor, Tensor>
{
    private static readonly Library Library = new("exportdb_with_meta", LibraryKind.Def);

    // The same op, now also telling export what it returns: a tensor shaped like its input.
    static UnsupportedOperatorRewrite()
    {
        Library.Define("scale(Tensor input) -> Tensor");
        Library.Impl("scale", (Tensor t) => t * 3);
        Library.ImplAbstract("scale", (Tensor t) => EmptyLike(t));
    }

    public override Tensor Forward(Tensor x) => Ops["exportdb_with_meta::scale"].CallTensor(x.Sin());
}
// </example>

public sealed partial class UnsupportedOperatorRewrite : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "unsupported_operator_rewrite",
        Description: "The fix for unsupported_operator: with an abstract implementation the custom op is traced like any other " +
            "and appears in the graph as one node that runs its kernel when the program runs.",
        Tags: [TorchOperator],
        Support: SupportLevel.Supported,
        Model: () => new UnsupportedOperatorRewrite(),
        ExampleArgs: () => [Randn(3, 2)])
    {
        RewriteOf = "unsupported_operator",
    };
}
