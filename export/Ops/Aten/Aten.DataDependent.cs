using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The run-time assertions that Torch.Check records for what the code promised about data-dependent values
/// (sizes read out of tensors with _local_scalar_dense, see Aten.CoreFactories.cs).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload AssertScalar = Def("_assert_scalar(Scalar self, str assert_msg) -> ()",
        meta: _ => Array.Empty<TensorMeta>(),
        kernel: a =>
        {
            bool holds = a[0] switch
            {
                bool b => b,
                SymBool { AsConstant: bool c } => c,
                long l => l != 0,
                double d => d != 0,
                _ => throw new ArgumentException($"_assert_scalar expects a bool, got {a[0]?.GetType().Name ?? "null"}."),
            };
            if (!holds) throw new ArgumentException($"Runtime assertion failed: {a[1]}");
            return Array.Empty<Tensor>();
        },
        tags: "side_effect");

}
