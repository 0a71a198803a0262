using System.Globalization;
using System.Text.Json.Nodes;

namespace Graphport.Serialization;

/// <summary>
/// Graphport's exact form of a <see cref="TreeSpec"/> for extra/graphport.json: the C# container type by name
/// (see <see cref="ContainerTypeNames"/>) and constant leaves with their values, which torch's pytree strings
/// cannot carry.
/// </summary>
internal static class TreeSpecJson
{
    public static JsonObject Write(TreeSpec spec, Func<SymInt, string> symbolic) => spec switch
    {
        TensorLeaf => new JsonObject { ["kind"] = "tensor" },
        SymIntLeaf => new JsonObject { ["kind"] = "sym_int" },
        ConstantLeaf c => Constant(c.Value, symbolic),
        SequenceNode s => new JsonObject
        {
            ["kind"] = "sequence",
            ["python"] = TorchTreeSpec.PythonKind(s.ContainerType),
            ["clr"] = ContainerTypeNames.Describe(s.ContainerType),
            ["children"] = new JsonArray([.. s.Children.Select(c => Write(c, symbolic))]),
        },
        MappingNode m => new JsonObject
        {
            ["kind"] = "mapping",
            ["python"] = "builtins.dict",
            ["clr"] = ContainerTypeNames.Describe(m.ContainerType),
            ["keys"] = new JsonArray([.. m.Keys.Select(k => (JsonNode)k)]),
            ["children"] = new JsonArray([.. m.Children.Select(c => Write(c, symbolic))]),
        },
        _ => throw new NotSupportedException($"Unknown tree node {spec}."),
    };

    private static JsonObject Constant(object? value, Func<SymInt, string> symbolic)
    {
        (string Type, JsonNode? Value) constant = value switch
        {
            null => ("none", null),
            bool b => ("bool", b),
            long l => ("long", l),
            double d => ("double", double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture))),
            string s => ("string", s),
            DType t => ("dtype", t.TorchName()),
            SymInt { IsSymbolic: false } s => ("long", s.AsConstant!.Value),
            SymInt s => ("symint", symbolic(s)),
            _ => throw new NotSupportedException($"A constant of type {value.GetType().Name} in a program's inputs or outputs cannot be saved."),
        };
        return new JsonObject { ["kind"] = "constant", ["type"] = constant.Type, ["value"] = constant.Value };
    }

    public static TreeSpec Read(JsonCursor c, Func<string, JsonCursor, SymInt> symbolic, int depth = 0)
    {
        if (depth > 64) throw c.Error("the tree is nested too deeply.");
        string kind = c.Field("kind").String();
        switch (kind)
        {
            case "tensor":
                return new TensorLeaf();
            case "sym_int":
                return new SymIntLeaf();
            case "constant":
                return new ConstantLeaf(ReadConstant(c, symbolic));
            case "sequence":
            {
                var children = c.Field("children").Items().Select(x => Read(x, symbolic, depth + 1)).ToList();
                bool tuple = c.Field("python").String() == "builtins.tuple";
                var type = ResolveOrNull(c) is { } t && (t.IsArray || typeof(System.Collections.IList).IsAssignableFrom(t) || typeof(System.Runtime.CompilerServices.ITuple).IsAssignableFrom(t))
                    ? t : TorchTreeSpec.SequenceType(tuple, children);
                return new SequenceNode(type, children);
            }
            case "mapping":
            {
                var children = c.Field("children").Items().Select(x => Read(x, symbolic, depth + 1)).ToList();
                var keys = c.Field("keys").Items().Select(k => k.String()).ToList();
                if (keys.Count != children.Count) throw c.Error($"{keys.Count} keys but {children.Count} children.");
                var type = ResolveOrNull(c) is { } t && typeof(System.Collections.IDictionary).IsAssignableFrom(t) ? t : TorchTreeSpec.MappingType(children);
                return new MappingNode(type, keys, children);
            }
            default:
                throw c.Error($"unknown tree node kind \"{kind}\".");
        }
    }

    private static Type? ResolveOrNull(JsonCursor c) => c.Optional("clr") is { } clr ? ContainerTypeNames.Resolve(clr.String()) : null;

    private static object? ReadConstant(JsonCursor c, Func<string, JsonCursor, SymInt> symbolic)
    {
        string type = c.Field("type").String();
        var value = c.Optional("value");
        if (type == "none") return null;
        if (value is not { } v) throw c.Error($"a {type} constant needs a value.");
        return type switch
        {
            "bool" => v.Bool(),
            "long" => v.Int64(),
            "double" => v.Double(),
            "string" => v.String(),
            "dtype" => DTypeInfo.TryParseTorchName(v.String(), out var d) ? d : throw v.Error($"unknown dtype {v.String()}."),
            "symint" => symbolic(v.String(), v),
            _ => throw c.Error($"unknown constant type \"{type}\"."),
        };
    }
}
