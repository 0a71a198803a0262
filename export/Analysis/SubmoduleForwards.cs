using System.Reflection;

namespace Graphport.Analysis;

/// <summary>
/// Finds the Forward methods a parent module can reach without naming them in IL: submodules run through the
/// library's Call, so seeing a value of a user module type is taken as a call to its Forward.
/// </summary>
internal static class SubmoduleForwards
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static |
                                          BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>
    /// Forward methods for every user module type inside <paramref name="type"/>: the type itself, array elements and
    /// generic arguments (a List&lt;Block&gt; field holds submodules too).
    /// </summary>
    public static IEnumerable<MethodBase> In(Type type, GraphBreakPolicy policy)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>();
        pending.Push(type);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
                continue;
            if (current.HasElementType)
                pending.Push(current.GetElementType()!);
            if (current.IsGenericType)
            {
                foreach (var argument in current.GetGenericArguments())
                    pending.Push(argument);
            }
            if (current.IsGenericParameter || !policy.IsUserModuleType(current))
                continue;
            foreach (var forward in ForwardsOf(current, policy))
                yield return forward;
        }
    }

    // Declared on the class or on its user-code bases; the walk stops at the library's module base, whose Forward is not user code.
    private static IEnumerable<MethodBase> ForwardsOf(Type type, GraphBreakPolicy policy)
    {
        for (Type? current = type;
             current is not null && policy.IsUserCode(current.Assembly) && !policy.IsModuleBase(current);
             current = current.BaseType)
        {
            foreach (var method in current.GetMethods(Declared))
            {
                if (method.Name == policy.ForwardMethodName && !method.IsAbstract && !method.IsGenericMethodDefinition)
                    yield return method;
            }
        }
    }
}
