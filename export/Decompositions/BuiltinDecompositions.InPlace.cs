using Graphport.Operators;

namespace Graphport;

/// <summary>
/// In-place ops (add_, relu_, fill_, copy_ ...) decompose like torch's register_inplace: compute the functional op,
/// then copy_ the result into self. Traced graphs never hold them (tracing functionalizes), so these entries matter
/// for code that calls an in-place op under a decomposition table and for completeness of the table.
/// </summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterInPlace()
    {
        foreach (var op in OpRegistry.Instance.All)
        {
            if (op.Namespace != "aten" || !op.Schema.IsMutable || op.IsCore || Decompositions.HasRegistered(op)) continue;
            // Without a functional variant the op stays undecomposed, and OpCoverage lists it as unreachable.
            if (InPlaceDecomposition(op) is { } decomposition) Decompositions.Register(op, decomposition);
        }
    }

    /// <summary>The functional op, then copy_ of its result into the written argument; null without a functional variant.</summary>
    internal static KernelFunction? InPlaceDecomposition(OpOverload op)
    {
        OpOverload functional;
        try
        {
            functional = FunctionalVariants.Of(op);
        }
        catch (NotSupportedException)
        {
            return null;
        }
        int written = FunctionalVariants.WrittenArgument(op);
        return a =>
        {
            var self = T(a[written]);
            var result = (Tensor)Dispatcher.Invoke(functional, a)!;
            return Aten.Call(Aten.Copy_, self, result);
        };
    }
}
