using System.Collections.Concurrent;

namespace Graphport.Operators;

/// <summary>Maps an in-place op (add_.Tensor, copy_, fill_.Scalar) to the functional op tracing records instead.</summary>
internal static class FunctionalVariants
{
    private static readonly ConcurrentDictionary<OpOverload, OpOverload> Cache = new();

    public static OpOverload Of(OpOverload op) => op.FunctionalVariant ?? Cache.GetOrAdd(op, Find);

    private static OpOverload Find(OpOverload op)
    {
        string name = op.OpName.TrimEnd('_');
        string qualified = op.Schema.OverloadName.Length == 0 ? $"{op.Namespace}::{name}" : $"{op.Namespace}::{name}.{op.Schema.OverloadName}";
        if (OpRegistry.Instance.TryGet(qualified, out var functional)) return functional;
        throw new NotSupportedException($"In-place operator {op.Name} has no functional variant ({qualified}), so it cannot be traced; use the out-of-place op instead.");
    }

    /// <summary>The index of the argument the op writes (the one annotated with "!").</summary>
    public static int WrittenArgument(OpOverload op)
    {
        var args = op.Schema.Arguments;
        for (int i = 0; i < args.Count; i++)
            if (args[i].Alias?.IsWrite == true) return i;
        return 0;
    }
}
