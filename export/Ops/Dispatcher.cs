using Graphport.Tracing;

namespace Graphport.Operators;

/// <summary>
/// Routes an op call: to the active tracer (which records a node), to the op's composite body, or to its
/// CPU kernel. In-place ops without their own kernel run their functional variant and copy the result back.
/// </summary>
internal static class Dispatcher
{
    public static object? Invoke(OpOverload op, object?[] args)
    {
        if (Tracer.Current is { } tracer) return tracer.Record(op, args);
        foreach (var a in args)
        {
            if (a is Tensor { IsFake: true } || (a is Tensor?[] list && list.Any(t => t is { IsFake: true })))
                throw new InvalidOperationException(
                    $"{op.Name} received a traced tensor outside of its export. Tensors created while tracing cannot be used after Export returns; run the exported program with ep.Module() instead.");
        }
        if (op.Composite is not null) return op.Composite(args);
        if (op.Kernel is not null)
        {
            // The meta function holds the op's checks (dtypes, shapes, arguments) with torch's messages; running
            // it first gives eager calls the same errors as traced ones, instead of a kernel failing obscurely.
            op.Meta?.Invoke(args);
            return op.Kernel(args);
        }
        if (op.Schema.IsMutable) return RunInPlace(op, args);
        // Without a kernel the meta's checks still come first: an op that can never run (the FFT ops, with no
        // complex dtype here) says why instead of only that it has no kernel.
        op.Meta?.Invoke(args);
        throw new NotSupportedException($"Operator {op.Name} has no CPU kernel. Register one with Library.Impl(\"{op.OpName}\", ...), or decompose it before running.");
    }

    /// <summary>Eager in-place op: compute the functional result, then write it into the mutated tensor.</summary>
    private static object? RunInPlace(OpOverload op, object?[] args)
    {
        if (InPlaceScatter.TryRun(op, args) is { } scattered) return scattered;
        var functional = FunctionalVariants.Of(op);
        int written = FunctionalVariants.WrittenArgument(op);
        var self = (Tensor)args[written]!;
        var result = (Tensor)Invoke(functional, args)!;
        // torch refuses to write a result back when that would drop its category (x_int.add_(y_float)).
        if (!DTypeInfo.CanCast(result.DType, self.DType))
            throw new ArgumentException($"result type {DTypeNames.Capitalized(result.DType)} can't be cast to the desired output type {DTypeNames.Capitalized(self.DType)}");
        Eager.CopyInto(self, result);
        return self;
    }
}
