using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class ConstrainAsValueExample : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y)
    {
        var a = x.Item<SymInt>();
        Check(a >= 0);
        Check(a <= 5);
        // Decidable from the checked range alone (a <= 5 < 6), so no guard on the data is needed.
        if (a < 6)
            return y.Sin();
        return y.Cos();
    }
}
// </example>

public sealed partial class ConstrainAsValueExample : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "constrain_as_value_example",
        Description: "Check narrows a data-dependent value enough for an ordinary if on it to be decided while tracing; " +
            "without the checks, the branch would need the value and export would fail.",
        Tags: [TorchDynamicValue, TorchEscapeHatch],
        Support: SupportLevel.Supported,
        Model: () => new ConstrainAsValueExample(),
        ExampleArgs: () => [Torch.Tensor(new long[] { 4 }), Randn(5, 5)])
    {
        ExtraInputs = () => [[Torch.Tensor(new long[] { 0 }), Randn(5, 5)]],
    };
}
