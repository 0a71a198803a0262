namespace Graphport.Serialization;

/// <summary>
/// Names the .NET container types of a program's inputs and outputs ("ValueTuple&lt;Tensor,Tensor&gt;",
/// "Dictionary&lt;string,Tensor&gt;", "Tensor[]") so a loaded program returns the same C# shapes. Only a fixed
/// set of BCL generics and element types is written or read back: an archive can never make the loader
/// instantiate a type of its choosing.
/// </summary>
internal static class ContainerTypeNames
{
    private static readonly Dictionary<string, Type> Leaves = new(StringComparer.Ordinal)
    {
        ["Tensor"] = typeof(Tensor),
        ["object"] = typeof(object),
        ["string"] = typeof(string),
        ["long"] = typeof(long),
        ["int"] = typeof(int),
        ["double"] = typeof(double),
        ["float"] = typeof(float),
        ["bool"] = typeof(bool),
        ["SymInt"] = typeof(SymInt),
        ["DType"] = typeof(DType),
    };

    private static readonly Dictionary<string, Type> Generics = new(StringComparer.Ordinal)
    {
        ["List"] = typeof(List<>),
        ["Dictionary"] = typeof(Dictionary<,>),
        ["Nullable"] = typeof(Nullable<>),
        ["ValueTuple1"] = typeof(ValueTuple<>),
        ["ValueTuple2"] = typeof(ValueTuple<,>),
        ["ValueTuple3"] = typeof(ValueTuple<,,>),
        ["ValueTuple4"] = typeof(ValueTuple<,,,>),
        ["ValueTuple5"] = typeof(ValueTuple<,,,,>),
        ["ValueTuple6"] = typeof(ValueTuple<,,,,,>),
        ["ValueTuple7"] = typeof(ValueTuple<,,,,,,>),
        ["ValueTuple8"] = typeof(ValueTuple<,,,,,,,>),
        ["Tuple1"] = typeof(Tuple<>),
        ["Tuple2"] = typeof(Tuple<,>),
        ["Tuple3"] = typeof(Tuple<,,>),
        ["Tuple4"] = typeof(Tuple<,,,>),
        ["Tuple5"] = typeof(Tuple<,,,,>),
        ["Tuple6"] = typeof(Tuple<,,,,,>),
        ["Tuple7"] = typeof(Tuple<,,,,,,>),
        ["Tuple8"] = typeof(Tuple<,,,,,,,>),
    };

    /// <summary>The name of a type, or null when it is not one of the describable shapes.</summary>
    public static string? Describe(Type type)
    {
        foreach (var (name, leaf) in Leaves)
            if (leaf == type) return name;
        if (type.IsArray)
            return type.GetArrayRank() == 1 && Describe(type.GetElementType()!) is string element ? element + "[]" : null;
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        string? generic = Generics.FirstOrDefault(g => g.Value == definition).Key;
        if (generic is null) return null;
        var names = arguments.Select(Describe).ToList();
        if (names.Any(n => n is null)) return null;
        // The arity suffix is implied by the argument count.
        string bare = generic.TrimEnd('1', '2', '3', '4', '5', '6', '7', '8');
        return $"{bare}<{string.Join(",", names)}>";
    }

    /// <summary>The type a name describes, or null when the name is not one this reader accepts.</summary>
    public static Type? Resolve(string name)
    {
        int pos = 0;
        try
        {
            var type = Parse(name, ref pos, depth: 0);
            return pos == name.Length ? type : null;
        }
        catch (ArgumentException)
        {
            // MakeGenericType refuses impossible combinations (a Nullable of a reference type).
            return null;
        }
    }

    private static Type? Parse(string s, ref int pos, int depth)
    {
        if (depth > 32) return null;
        int start = pos;
        while (pos < s.Length && (char.IsLetterOrDigit(s[pos]) || s[pos] == '_')) pos++;
        string head = s[start..pos];
        Type? type;
        if (pos < s.Length && s[pos] == '<')
        {
            pos++;
            var arguments = new List<Type>();
            while (true)
            {
                var argument = Parse(s, ref pos, depth + 1);
                if (argument is null) return null;
                arguments.Add(argument);
                if (pos < s.Length && s[pos] == ',') { pos++; continue; }
                if (pos < s.Length && s[pos] == '>') { pos++; break; }
                return null;
            }
            string key = head is "List" or "Dictionary" or "Nullable" ? head : head + arguments.Count;
            if (!Generics.TryGetValue(key, out var definition) || definition.GetGenericArguments().Length != arguments.Count) return null;
            type = definition.MakeGenericType([.. arguments]);
        }
        else
        {
            type = Leaves.GetValueOrDefault(head);
            if (type is null) return null;
        }
        while (pos + 1 < s.Length && s[pos] == '[' && s[pos + 1] == ']')
        {
            type = type.MakeArrayType();
            pos += 2;
        }
        return type;
    }
}
