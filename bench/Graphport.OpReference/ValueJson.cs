using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Graphport.Operators;

namespace Graphport.OpReference;

/// <summary>
/// Op arguments and results as JSON that Python turns back into exactly the same values: every value is a
/// one-key object naming its kind ({"tensor": ...}, {"int": 3}, {"float": 2.5}, {"ints": [..]}, {"dtype": "float64"},
/// {"none": null}, ...), because JSON alone cannot tell 3 from 3.0. Floats are written as the exact doubles they
/// are (every float32, float16 and bfloat16 is one); NaN, infinities and -0.0 as the strings "nan", "inf", "-inf",
/// "-0.0".
/// </summary>
internal static class ValueJson
{
    /// <summary>A tensor as {dtype, shape, data}: dtype as torch names it without "torch.", data flat in row-major order.</summary>
    public static JsonObject Tensor(Tensor t)
    {
        var data = new JsonArray();
        if (t.DType == DType.Bool)
            foreach (var b in t.ToArray<bool>()) data.Add(JsonValue.Create(b));
        else if (t.DType.IsFloatingPoint())
            foreach (var d in t.ToArray<double>()) data.Add(Float(d));
        else
            foreach (var l in t.ToArray<long>()) data.Add(JsonValue.Create(l));
        return new JsonObject
        {
            ["dtype"] = DTypeName(t.DType),
            ["shape"] = new JsonArray([.. t.Shape.ToLongs().Select(s => (JsonNode)JsonValue.Create(s))]),
            ["data"] = data,
        };
    }

    public static string DTypeName(DType dtype) => dtype.TorchName().Replace("torch.", "", StringComparison.Ordinal);

    public static JsonNode Float(double d) =>
        double.IsNaN(d) ? JsonValue.Create("nan")
        : double.IsPositiveInfinity(d) ? JsonValue.Create("inf")
        : double.IsNegativeInfinity(d) ? JsonValue.Create("-inf")
        : d == 0 && double.IsNegative(d) ? JsonValue.Create("-0.0")
        : JsonValue.Create(d);

    private static JsonObject Of(string kind, JsonNode? value) => new() { [kind] = value };

    /// <summary>An argument, as the schema declares it: an int given where a float is declared is written as a float.</summary>
    public static JsonObject Argument(object? value, SchemaType type) => value switch
    {
        null => Of("none", null),
        long or int or SymInt when type.Base == "float" && !type.IsList => Of("float", Float(AsLong(value))),
        long[] or int[] or SymInt[] when type.Base == "float" => Of("floats", new JsonArray([.. AsLongs(value).Select(l => Float(l))])),
        string s when type.Base == "MemoryFormat" => Of("memory_format", s),
        _ => Value(value),
    };

    /// <summary>A value as its CLR type says: long is an int, double a float, arrays are lists.</summary>
    public static JsonObject Value(object? value) => value switch
    {
        null => Of("none", null),
        Tensor t => Of("tensor", Tensor(t)),
        Tensor?[] ts => Of("tensors", new JsonArray([.. ts.Select(t => t is null ? null : (JsonNode)Tensor(t))])),
        bool b => Of("bool", b),
        long or int or short or sbyte or byte or SymInt => Of("int", AsLong(value)),
        double d => Of("float", Float(d)),
        float f => Of("float", Float(f)),
        bool[] bs => Of("bools", new JsonArray([.. bs.Select(b => (JsonNode)JsonValue.Create(b))])),
        long[] or int[] or SymInt[] => Of("ints", new JsonArray([.. AsLongs(value).Select(l => (JsonNode)JsonValue.Create(l))])),
        double[] ds => Of("floats", new JsonArray([.. ds.Select(Float)])),
        DType dt => Of("dtype", DTypeName(dt)),
        MemoryFormat m => Of("memory_format", m.TorchName()),
        string s => Of("str", s),
        SymBool sb => Of("bool", (bool)sb),
        _ => throw new NotSupportedException($"No JSON form for a {value.GetType().Name}."),
    };

    private static long AsLong(object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        sbyte sb => sb,
        byte b => b,
        SymInt s => (long)s,
        _ => throw new NotSupportedException($"{value.GetType().Name} is not an integer."),
    };

    private static IEnumerable<long> AsLongs(object value) => value switch
    {
        long[] l => l,
        int[] i => i.Select(x => (long)x),
        SymInt[] s => s.Select(x => (long)x),
        _ => throw new NotSupportedException($"{value.GetType().Name} is not an integer list."),
    };

    /// <summary>The leaves of an op's or a program's result in pytree order: tensors and scalars, tuples and lists flattened.</summary>
    public static IEnumerable<object?> Leaves(object? value) => value switch
    {
        Tensor t => [t],
        string => [value],
        ITuple tuple => Enumerable.Range(0, tuple.Length).SelectMany(i => Leaves(tuple[i])),
        IDictionary dict => dict.Values.Cast<object?>().SelectMany(Leaves),
        IList list => list.Cast<object?>().SelectMany(Leaves),
        _ => [value],
    };

    /// <summary>
    /// A program input with its structure: tensors as {dtype, shape, data} (the fixtures' format), lists as JSON
    /// arrays, tuples as {"tuple": [..]}, dictionaries as {"dict": {..}}, None (an optional input left out) as
    /// null, and numbers, bools and strings as one-key objects ({"int": 3}, {"float": 2.5}, {"bool": true}).
    /// </summary>
    public static JsonNode? Structured(object? value) => value switch
    {
        null => null,
        Tensor t => Tensor(t),
        bool or long or int or short or sbyte or byte or SymInt or double or float or string or SymBool => Value(value),
        ITuple tuple => new JsonObject { ["tuple"] = new JsonArray([.. Enumerable.Range(0, tuple.Length).Select(i => Structured(tuple[i]))]) },
        IDictionary dict => new JsonObject { ["dict"] = new JsonObject(dict.Keys.Cast<object>().Select(k => KeyValuePair.Create(k.ToString()!, Structured(dict[k])))) },
        IList list => new JsonArray([.. list.Cast<object?>().Select(Structured)]),
        _ => throw new NotSupportedException($"Program inputs are tensors, scalars, tuples, lists and dictionaries; not {value.GetType().Name}."),
    };
}
