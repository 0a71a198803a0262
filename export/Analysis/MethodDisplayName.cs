using System.Reflection;

namespace Graphport.Analysis;

/// <summary>
/// The name a user recognises for a method: "Bad1.Forward", and for compiler-generated code the method the user
/// wrote it in ("Bad1.Forward.&lt;lambda&gt;", "Bad1.Forward.Helper" for a local function) instead of "&lt;&gt;c.&lt;Forward&gt;b__0_0".
/// </summary>
internal static class MethodDisplayName
{
    public static string Of(MethodBase method)
    {
        var type = method.DeclaringType;
        var name = method.Name;
        // Closures and state machines are nested in the user's type under names starting with '<'.
        while (type is { IsNested: true } && type.Name.StartsWith('<'))
        {
            // An iterator's or async method's body is MoveNext of "<Forward>d__3": the user wrote it as Forward.
            if (name == "MoveNext" && type.Name.Contains(">d__", StringComparison.Ordinal))
                name = type.Name[1..type.Name.IndexOf('>', StringComparison.Ordinal)];
            type = type.DeclaringType;
        }
        var typeName = type is null ? string.Empty : TypeNames.SimpleName(type) + ".";
        return typeName + Describe(name);
    }

    private static string Describe(string name)
    {
        // Roslyn names generated methods "<Container>k__Suffix": b for lambdas, g for local functions ("<Forward>g__Helper|0_0").
        if (!name.StartsWith('<'))
            return name;
        var close = name.IndexOf('>', StringComparison.Ordinal);
        if (close < 0 || close + 1 >= name.Length)
            return name;
        var container = name[1..close];
        var kind = name[close + 1];
        var rest = name[(close + 2)..];
        return kind switch
        {
            'b' => $"{container}.<lambda>",
            'g' when rest.StartsWith("__", StringComparison.Ordinal) => $"{container}.{rest[2..].Split('|')[0]}",
            _ => name,
        };
    }
}
