using Graphport.Shapes;
using Graphport.Tracing;

namespace Graphport;

public static partial class Torch
{
    /// <summary>
    /// States a fact about sizes (torch._check). For sizes read from tensor data (Item&lt;SymInt&gt;()), export takes
    /// it as true, narrows the value's range so later branches can be decided, and records a run-time assertion;
    /// for ordinary sizes it is checked (and guarded) like an if. Fails with <paramref name="message"/> when false.
    /// </summary>
    public static void Check(SymBool condition, string? message = null)
    {
        if (condition.AsConstant is bool known)
        {
            if (!known) throw new ArgumentException(message ?? "Torch.Check failed.");
            return;
        }
        var env = condition.Env!;
        var expr = condition.Expr;
        if (expr.FreeSymbols().Any(s => s.Unbacked))
        {
            // The assertion is recorded before the fact is assumed: an equation assumed replaces one of its symbols
            // (u0 + u1 == 13 makes u1 the rest, 13 - u0), after which the statement would read 13 == 13 and check
            // nothing the data could break, where it must check the value read for u1.
            if (Tracer.Current is { } tracer)
            {
                tracer.AddRuntimeAssert(expr, message, tracer.CurrentSource());
            }
            env.Assume(expr);
            return;
        }
        if (!condition) throw new ArgumentException(message ?? $"Torch.Check failed: {expr} is false for the example inputs.");
    }

    /// <summary>States that a data-dependent value is a valid size (torch._check_is_size): it is at least 0.</summary>
    public static void CheckIsSize(SymInt value, string? message = null) => Check(value >= 0, message);
}
