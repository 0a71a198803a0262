using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Decompositions of the non-core ATen ops the engine can record, each written with core ops (as in torch/_decomp
/// and torch/_refs): t → permute, silu → mul + sigmoid, zeros → full, ... One file per family of ops.
/// </summary>
internal static partial class BuiltinDecompositions
{
    private static Tensor T(object? a) => (Tensor)a!;

    public static void RegisterAll()
    {
        RegisterViews();
        RegisterReductions();
        RegisterFactories();
        RegisterPointwise();
        RegisterNN();
        RegisterNnExtras();
        RegisterRecurrent();
        RegisterLosses();
        RegisterGridSamplers();
        RegisterPoolingIndices();
        RegisterMarginLosses();
        RegisterFractionalPooling();
        // Last: in-place ops get the generic functional-then-copy_ decomposition unless they have their own.
        RegisterInPlace();
    }

    private static void Register(string op, KernelFunction decomposition) => Decompositions.Register(op, decomposition);
}
