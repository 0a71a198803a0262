using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class AssumeConstantResult : Module<Tensor, Tensor>
{
    // Read once, on real data, when the module is built: Forward then sees a plain number, which export
    // bakes into the graph as a constant (the program keeps it even if `limit` changes later).
    private readonly long end;

    public AssumeConstantResult(Tensor limit) => end = limit.Item<long>();

    public override Tensor Forward(Tensor x) => x[TensorIndex.Slice(stop: end)];
}
// </example>

public sealed partial class AssumeConstantResult : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "assume_constant_result",
        Description: "A number read from tensor data outside the traced code (here in the constructor) is a constant to export; " +
            "this is the C# counterpart of torch._dynamo.assume_constant_result, and the value is baked into the program.",
        Tags: [TorchEscapeHatch],
        Support: SupportLevel.Supported,
        Model: () => new AssumeConstantResult(Torch.Tensor(new long[] { 4 })),
        ExampleArgs: () => [Randn(6, 2)])
    {
        RejectedInputs = () => [[Randn(5, 2)]],
    };
}
