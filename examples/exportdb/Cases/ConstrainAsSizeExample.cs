using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class ConstrainAsSizeExample : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        // A size read from data is unknown while tracing (an unbacked symbol); the checks give it a range.
        var a = x.Item<SymInt>();
        CheckIsSize(a);
        Check(a <= 5);
        return Zeros([a, 5]);
    }
}
// </example>

public sealed partial class ConstrainAsSizeExample : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "constrain_as_size_example",
        Description: "A value read with Item<SymInt>() can size a new tensor once CheckIsSize and Check bound it; export keeps " +
            "it symbolic (u0 in [0, 5]) and records the checks as run-time assertions.",
        Tags: [TorchDynamicValue, TorchEscapeHatch],
        Support: SupportLevel.Supported,
        Model: () => new ConstrainAsSizeExample(),
        ExampleArgs: () => [Torch.Tensor(new long[] { 4 })])
    {
        ExtraInputs = () => [[Torch.Tensor(new long[] { 2 })], [Torch.Tensor(new long[] { 5 })]],
    };
}
