using System.Collections.Immutable;
using System.Reflection;

namespace Graphport.Analysis;

/// <summary>
/// The abstract machine state before an instruction: evaluation stack, taint of each local and argument, and the
/// fields this method has stored tainted values into. Taint only grows and types only decay to unknown, so joining
/// states at merge points reaches a fixpoint quickly.
/// </summary>
internal sealed class AbstractState
{
    public List<AbstractValue> Stack { get; }

    public bool[] Locals { get; }

    public bool[] Arguments { get; }

    public ImmutableHashSet<FieldInfo> TaintedFields { get; set; }

    private AbstractState(List<AbstractValue> stack, bool[] locals, bool[] arguments, ImmutableHashSet<FieldInfo> taintedFields)
    {
        Stack = stack;
        Locals = locals;
        Arguments = arguments;
        TaintedFields = taintedFields;
    }

    /// <summary>The state at the method's first instruction: empty stack, clean locals, arguments tainted per the caller's mask.</summary>
    public static AbstractState Entry(int localCount, int argumentCount, ulong taintedArguments)
    {
        var arguments = new bool[argumentCount];
        for (var i = 0; i < argumentCount && i < 64; i++)
            arguments[i] = (taintedArguments & (1UL << i)) != 0;
        return new AbstractState([], new bool[localCount], arguments, []);
    }

    public AbstractState Clone() => new([.. Stack], (bool[])Locals.Clone(), (bool[])Arguments.Clone(), TaintedFields);

    /// <summary>The state a handler starts in: its own stack (empty, or the caught exception), everything else as here.</summary>
    public AbstractState WithStack(IEnumerable<AbstractValue> stack) =>
        new([.. stack], (bool[])Locals.Clone(), (bool[])Arguments.Clone(), TaintedFields);

    /// <summary>Joins <paramref name="other"/> into this state; true when anything changed, so the successor must be revisited.</summary>
    public bool JoinWith(AbstractState other)
    {
        var changed = false;
        // Verifiable IL has equal stack depths at merge points; on a mismatch the common depth is the best that can be said.
        var depth = Math.Min(Stack.Count, other.Stack.Count);
        if (Stack.Count != depth)
        {
            Stack.RemoveRange(depth, Stack.Count - depth);
            changed = true;
        }
        for (var i = 0; i < depth; i++)
        {
            var joined = Stack[i].Join(other.Stack[i]);
            if (joined != Stack[i])
            {
                Stack[i] = joined;
                changed = true;
            }
        }
        changed |= JoinFlags(Locals, other.Locals);
        changed |= JoinFlags(Arguments, other.Arguments);
        if (!other.TaintedFields.IsSubsetOf(TaintedFields))
        {
            TaintedFields = TaintedFields.Union(other.TaintedFields);
            changed = true;
        }
        return changed;
    }

    private static bool JoinFlags(bool[] into, bool[] from)
    {
        var changed = false;
        for (var i = 0; i < into.Length && i < from.Length; i++)
        {
            if (from[i] && !into[i])
            {
                into[i] = true;
                changed = true;
            }
        }
        return changed;
    }
}
