using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Graphport.Serialization;

/// <summary>
/// Converts between Graphport's <see cref="TreeSpec"/> and the pytree spec strings of torch's schema
/// (treespec_dumps, protocol 1: <c>[1, {"type": "builtins.tuple", "context": "null", "children_spec": [...]}]</c>).
/// C# tuples become Python tuples, arrays and lists become lists, dictionaries dicts. Constant leaves are written
/// as pytree leaves, as torch has them; torch-made specs read back with C# types chosen from their Python kind.
/// </summary>
internal static class TorchTreeSpec
{
    public const int Protocol = 1;

    /// <summary>The in_spec torch expects: a tuple of (positional arguments tuple, keyword arguments dict).</summary>
    public static string DumpInputs(IReadOnlyList<TreeSpec> arguments)
    {
        var args = Container("builtins.tuple", "null", arguments.Select(Node));
        var kwargs = Container("builtins.dict", "[]", []);
        return Dump(Container("builtins.tuple", "null", [args, kwargs]));
    }

    public static string DumpOutput(TreeSpec output) => Dump(Node(output));

    private static string Dump(JsonNode root) => new JsonArray(Protocol, root).ToJsonString();

    private static JsonObject Node(TreeSpec spec) => spec switch
    {
        TensorLeaf or SymIntLeaf or ConstantLeaf => new JsonObject { ["type"] = null, ["context"] = null, ["children_spec"] = new JsonArray() },
        SequenceNode s => Container(PythonKind(s.ContainerType), "null", s.Children.Select(Node)),
        MappingNode m => Container("builtins.dict", JsonSerializer.Serialize(m.Keys), m.Children.Select(Node)),
        _ => throw new NotSupportedException($"Unknown tree node {spec}."),
    };

    private static JsonObject Container(string type, string context, IEnumerable<JsonNode> children) =>
        new() { ["type"] = type, ["context"] = context, ["children_spec"] = new JsonArray([.. children]) };

    /// <summary>The Python container a C# sequence type stands for.</summary>
    public static string PythonKind(Type sequenceType) => typeof(ITuple).IsAssignableFrom(sequenceType) ? "builtins.tuple" : "builtins.list";

    /// <summary>
    /// Reads a torch spec. <paramref name="leaf"/> gives the tree for the i-th leaf (a tensor, or a constant the
    /// module call signature names).
    /// </summary>
    public static TreeSpec Load(string text, string where, Func<int, TreeSpec> leaf)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: the pytree spec is not valid JSON: {e.Message}", e);
        }
        if (root is not JsonArray { Count: 2 } pair || pair[0]?.GetValueKind() != JsonValueKind.Number)
            throw new InvalidDataException($"{where}: a pytree spec is [protocol, tree]; found {Truncate(text)}.");
        int protocol = pair[0]!.GetValue<int>();
        if (protocol != Protocol)
            throw new InvalidDataException($"{where}: pytree spec protocol {protocol} is not supported; Graphport reads protocol {Protocol}.");
        int next = 0;
        return Read(pair[1], where, leaf, ref next, 0);
    }

    private static TreeSpec Read(JsonNode? node, string where, Func<int, TreeSpec> leaf, ref int next, int depth)
    {
        if (depth > 64) throw new InvalidDataException($"{where}: the pytree spec is nested too deeply.");
        if (node is not JsonObject o) throw new InvalidDataException($"{where}: a pytree node must be an object.");
        var type = o["type"];
        if (type is null || type.GetValueKind() == JsonValueKind.Null) return leaf(next++);
        string typeName = type.GetValueKind() == JsonValueKind.String ? type.GetValue<string>() : throw new InvalidDataException($"{where}: a pytree node's type must be a string.");
        var childNodes = o["children_spec"] as JsonArray ?? throw new InvalidDataException($"{where}: the pytree node {typeName} has no children_spec list.");
        var children = new List<TreeSpec>();
        foreach (var child in childNodes) children.Add(Read(child, where, leaf, ref next, depth + 1));
        string? context = o["context"] is { } c && c.GetValueKind() == JsonValueKind.String ? c.GetValue<string>() : null;
        switch (typeName)
        {
            case "builtins.tuple" or "collections.namedtuple" or "torch.Size":
                return new SequenceNode(SequenceType(tuple: true, children), children);
            case "builtins.list":
                return new SequenceNode(SequenceType(tuple: false, children), children);
            case "builtins.dict" or "collections.OrderedDict" or "collections.defaultdict":
                var keys = DictKeys(context, typeName, where);
                if (keys.Count != children.Count)
                    throw new InvalidDataException($"{where}: the pytree dict has {keys.Count} keys but {children.Count} children.");
                return new MappingNode(MappingType(children), keys, children);
            default:
                throw new InvalidDataException($"{where}: the pytree container type {typeName} has no Graphport equivalent (tuples, lists and dicts are supported).");
        }
    }

    private static List<string> DictKeys(string? context, string typeName, string where)
    {
        try
        {
            var parsed = JsonNode.Parse(context ?? "[]");
            // defaultdict keeps its keys next to the factory: {"default_factory_module": ..., "dict_context": [...]}.
            if (typeName == "collections.defaultdict") parsed = parsed?["dict_context"];
            if (parsed is not JsonArray keys) throw new InvalidDataException($"{where}: the context of a pytree dict must list its keys.");
            return keys.Select(k => k is null ? "None" : k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : k.ToJsonString()).ToList();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: the keys of a pytree dict are not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// A C# type for a sequence whose exact type is unknown (a torch-made spec, or a type the archive may not
    /// name): a ValueTuple for short tuples, as Forward would declare it (Tensor for a tensor item, object for any
    /// other: a constant, a size, a container), so that saved again it is a Python tuple; arrays/lists otherwise.
    /// </summary>
    public static Type SequenceType(bool tuple, IReadOnlyList<TreeSpec> children)
    {
        bool allTensors = children.All(c => c is TensorLeaf);
        if (tuple)
        {
            if (children.Count is >= 1 and <= 7 && (!allTensors || children.Count >= 2))
                return Type.GetType($"System.ValueTuple`{children.Count}")!.MakeGenericType(children.Select(c => c is TensorLeaf ? typeof(Tensor) : typeof(object)).ToArray());
            return allTensors ? typeof(Tensor[]) : typeof(object[]);
        }
        return allTensors ? typeof(List<Tensor>) : typeof(List<object?>);
    }

    public static Type MappingType(IReadOnlyList<TreeSpec> children) =>
        children.All(c => c is TensorLeaf) ? typeof(Dictionary<string, Tensor>) : typeof(Dictionary<string, object?>);

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "...";
}
