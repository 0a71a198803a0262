using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class TensorDataWrite : Module<Tensor, Tensor>
{
    // .Data is the raw storage: writing through it bypasses the operators the tracer records.
    public override Tensor Forward(Tensor x)
    {
        x.Data[0, 0] = 3;
        return x;
    }
}
// </example>

public sealed partial class TensorDataWrite : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "tensor_data_write",
        Description: "Strict export refuses code that touches a tensor's raw storage through .Data, since those writes are " +
            "invisible to the tracer (torch's x.data); tensor_data_write_non_strict traces it instead.",
        Tags: [CSharpStrictMode, TorchMutation],
        Support: SupportLevel.NotSupportedYet,
        Model: () => new TensorDataWrite(),
        ExampleArgs: () => [Randn(3, 3)]);

    /// <summary>The same module exported without the IL check.</summary>
    public sealed class NonStrict : IExportDbExample
    {
        public static ExportDbCase Case { get; } = new(
            Name: "tensor_data_write_non_strict",
            Description: "Non-strict export records the element write through .Data as an ordinary in-place op, which becomes " +
                "a USER_INPUT_MUTATION output written back to the caller's tensor.",
            Tags: [CSharpStrictMode, TorchMutation],
            Support: SupportLevel.Supported,
            Model: () => new TensorDataWrite(),
            ExampleArgs: () => [Randn(3, 3)])
        {
            Strict = false,
            RewriteOf = "tensor_data_write",
            ExtraInputs = () => [[Randn(3, 3)]],
        };
    }
}
