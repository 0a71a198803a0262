namespace Graphport.Analysis;

/// <summary>
/// Compares types by name, which is how <see cref="GraphBreakPolicy"/> names them, so the analysis
/// never needs a compile-time reference to Graphport.Tensor or Graphport.Module.
/// </summary>
internal static class TypeNames
{
    /// <summary>
    /// "Namespace.Outer+Inner" without the `N arity suffix, so "Graphport.Module`2" matches "Graphport.Module"
    /// and every closed instantiation matches its definition.
    /// </summary>
    public static string WithoutArity(Type type)
    {
        var definition = type.IsGenericType && !type.IsGenericTypeDefinition ? type.GetGenericTypeDefinition() : type;
        var name = definition.FullName ?? (definition.Namespace is null ? definition.Name : $"{definition.Namespace}.{definition.Name}");
        return StripArity(name);
    }

    /// <summary>The simple name without arity ("Box`1" becomes "Box"), for messages.</summary>
    public static string SimpleName(Type type)
        => StripArity(type.Name);

    // Nested generics carry a suffix per level ("Outer`1+Inner`2"), so every `digits run goes, not just a tail.
    private static string StripArity(string name)
    {
        if (!name.Contains('`', StringComparison.Ordinal))
            return name;
        var builder = new System.Text.StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '`')
            {
                while (i + 1 < name.Length && char.IsAsciiDigit(name[i + 1]))
                    i++;
                continue;
            }
            builder.Append(name[i]);
        }
        return builder.ToString();
    }

    /// <summary>True when the type or any base class is one of <paramref name="names"/>.</summary>
    public static bool IsOrDerivesFrom(Type type, IReadOnlyCollection<string> names)
    {
        for (Type? current = type; current is not null; current = current.BaseType)
        {
            if (names.Contains(WithoutArity(current), StringComparer.Ordinal))
                return true;
        }
        return false;
    }
}
