using System.Text.Json;

namespace Graphport.Serialization;

/// <summary>
/// A position in a JSON document being read, with its path ("$.graph_module.graph.nodes[3]") and file, so that
/// every malformed or missing field is reported as an <see cref="InvalidDataException"/> naming exactly where.
/// Unknown fields are never an error: newer writers may add them.
/// </summary>
internal readonly struct JsonCursor(JsonElement element, string path, string file)
{
    public JsonElement Element { get; } = element;

    public string Path { get; } = path;

    public string File { get; } = file;

    public static JsonCursor Parse(byte[] utf8, string file)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 256 });
            return new JsonCursor(document.RootElement.Clone(), "$", file);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file} is not valid JSON: {e.Message}", e);
        }
    }

    public bool IsNull => Element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    public InvalidDataException Error(string message) => new($"{File}: {Path}: {message}");

    /// <summary>A required field of an object.</summary>
    public JsonCursor Field(string name)
    {
        RequireKind(JsonValueKind.Object, "an object");
        if (!Element.TryGetProperty(name, out var value))
            throw Error($"the required field \"{name}\" is missing.");
        return new JsonCursor(value, Child(name), File);
    }

    /// <summary>An optional field: null when absent or JSON null.</summary>
    public JsonCursor? Optional(string name)
    {
        RequireKind(JsonValueKind.Object, "an object");
        if (!Element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return new JsonCursor(value, Child(name), File);
    }

    public bool Has(string name) => Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out _);

    public string String()
    {
        RequireKind(JsonValueKind.String, "a string");
        return Element.GetString()!;
    }

    public long Int64()
    {
        if (Element.ValueKind == JsonValueKind.Number && Element.TryGetInt64(out long value)) return value;
        // Python writes integral floats as 2.0 in some fields; accept them where an int is meant.
        if (Element.ValueKind == JsonValueKind.Number && Element.TryGetDouble(out double d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18) return (long)d;
        throw Error($"expected an integer, found {Describe()}.");
    }

    public int Int32()
    {
        long value = Int64();
        if (value is < int.MinValue or > int.MaxValue) throw Error($"{value} is out of range for this field.");
        return (int)value;
    }

    /// <summary>A float; torch writes non-finite values as the strings "NaN", "Infinity" and "-Infinity".</summary>
    public double Double()
    {
        switch (Element.ValueKind)
        {
            case JsonValueKind.Number:
                return Element.GetDouble();
            case JsonValueKind.String:
                switch (Element.GetString())
                {
                    case "NaN": return double.NaN;
                    case "Infinity" or "inf": return double.PositiveInfinity;
                    case "-Infinity" or "-inf": return double.NegativeInfinity;
                }
                break;
        }
        throw Error($"expected a number, found {Describe()}.");
    }

    public bool Bool()
    {
        if (Element.ValueKind is JsonValueKind.True or JsonValueKind.False) return Element.GetBoolean();
        throw Error($"expected true or false, found {Describe()}.");
    }

    public IEnumerable<JsonCursor> Items()
    {
        RequireKind(JsonValueKind.Array, "an array");
        int i = 0;
        foreach (var item in Element.EnumerateArray())
            yield return new JsonCursor(item, $"{Path}[{i++}]", File);
    }

    public int Count
    {
        get
        {
            RequireKind(JsonValueKind.Array, "an array");
            return Element.GetArrayLength();
        }
    }

    public IEnumerable<(string Key, JsonCursor Value)> Properties()
    {
        RequireKind(JsonValueKind.Object, "an object");
        foreach (var p in Element.EnumerateObject())
            yield return (p.Name, new JsonCursor(p.Value, $"{Path}[{Quote(p.Name)}]", File));
    }

    /// <summary>A schema union: an object with exactly one field, whose name is the chosen variant.</summary>
    public (string Tag, JsonCursor Value) Union()
    {
        RequireKind(JsonValueKind.Object, "a one-field object (a union)");
        JsonProperty? single = null;
        int count = 0;
        foreach (var p in Element.EnumerateObject())
        {
            single ??= p;
            count++;
        }
        if (count != 1)
            throw Error($"a union must have exactly one field, found {count}{(count > 1 ? $" ({string.Join(", ", Element.EnumerateObject().Select(p => p.Name))})" : "")}.");
        var chosen = single!.Value;
        return (chosen.Name, new JsonCursor(chosen.Value, $"{Path}.{chosen.Name}", File));
    }

    private void RequireKind(JsonValueKind kind, string what)
    {
        if (Element.ValueKind != kind) throw Error($"expected {what}, found {Describe()}.");
    }

    private string Describe() => Element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Truncate(Element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Element.GetRawText()}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    /// <summary>$.a.b for field names, $.a['x y'] for keys that are not identifiers (graph paths, the root graph "").</summary>
    private string Child(string name) =>
        name.Length > 0 && !char.IsDigit(name[0]) && name.All(c => char.IsLetterOrDigit(c) || c == '_') ? $"{Path}.{name}" : $"{Path}[{Quote(name)}]";

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "...";

    private static string Quote(string s) => "'" + s.Replace("'", "\\'", StringComparison.Ordinal) + "'";

    public override string ToString() => Path;
}
