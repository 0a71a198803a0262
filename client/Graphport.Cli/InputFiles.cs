using System.Text.Json;
using Graphport.Grains;

namespace Graphport.Cli;

/// <summary>
/// Reads JSON input files: export inputs (an array of {name, dtype, shape, dims: [{dim, name, min, max}]}) and
/// tensors to invoke with (by input name, nested lists; or an array of {dtype, shape, data: [numbers, row-major]}).
/// Problems are usage errors that name the file and the entry.
/// </summary>
public static class InputFiles
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ExportInput[] ExportInputs(string path)
    {
        var inputs = Read<ExportInput[]>(path);
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null || string.IsNullOrWhiteSpace(inputs[i].Name) || inputs[i].Shape is null)
                throw new UsageException($"{path}: input {i} needs a name, a dtype and a shape.");
        return inputs;
    }

    /// <summary>
    /// Tensors to invoke a program with, in its inputs' order, from either form: an array of {dtype, shape, data}
    /// (row-major) in the inputs' order, or an object keyed by input name whose values are nested lists (the shape
    /// read from the nesting, the dtype the program's; <c>{"input_ids": [[15496, 995]]}</c>) or {dtype, shape, data}.
    /// </summary>
    /// <param name="inputs">The version's inputs; null checks only the file's form (before the program is known).</param>
    public static Tensor[] Tensors(string path, IReadOnlyList<ProgramInputInfo>? inputs)
    {
        using var document = Parse(path);
        var root = document.RootElement;
        switch (root.ValueKind)
        {
            case JsonValueKind.Array:
                return root.EnumerateArray().Select((e, i) => Entry(path, $"tensor {i}", e, null)).ToArray();
            case JsonValueKind.Object:
                return inputs is null ? [] : ByName(path, root, inputs);
            default:
                throw new UsageException($"{path} holds a {root.ValueKind.ToString().ToLowerInvariant()}; expected an object keyed by input name, "
                    + "{\"input_ids\": [[15496, 995]], ...} (nested lists; dtypes are the program's), or an array of {\"dtype\", \"shape\", \"data\"} in the inputs' order.");
        }
    }

    private static Tensor[] ByName(string path, JsonElement root, IReadOnlyList<ProgramInputInfo> inputs)
    {
        var given = root.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        string Expected() => string.Join(", ", inputs.Select(i => $"{i.Name}: {i.DType}[{string.Join(", ", i.Sizes)}]"));
        if (given.Keys.FirstOrDefault(name => inputs.All(i => i.Name != name)) is { } unknown)
            throw new UsageException($"{path}: the program has no input named '{unknown}'; its inputs are {Expected()}.");
        if (inputs.FirstOrDefault(i => !given.ContainsKey(i.Name)) is { } missing)
            throw new UsageException($"{path} gives no value for input '{missing.Name}'; the program's inputs are {Expected()}.");
        return inputs.Select(i => Entry(path, $"input '{i.Name}'", given[i.Name], i.DType)).ToArray();
    }

    // One tensor: an {dtype, shape, data} entry, or nested lists (a number alone is a 0-d tensor) in the given dtype.
    private static Tensor Entry(string path, string what, JsonElement element, string? dtype)
    {
        double[] data;
        long[] shape;
        if (element.ValueKind == JsonValueKind.Object)
        {
            TensorEntry? entry;
            try
            {
                entry = element.Deserialize<TensorEntry>(Json);
            }
            catch (JsonException e)
            {
                throw new UsageException($"{path}: {what} is not a {{dtype, shape, data}} entry: {e.Message}");
            }
            if (entry?.Shape is null || entry.Data is null) throw new UsageException($"{path}: {what} needs a shape and data.");
            (data, shape, dtype) = (entry.Data, entry.Shape, entry.DType ?? dtype);
            long numel = shape.Aggregate(1L, (a, b) => a * b);
            if (shape.Any(s => s < 0) || numel != data.Length)
                throw new UsageException($"{path}: {what} has {data.Length} values, but shape [{string.Join(", ", shape)}] needs {numel}.");
        }
        else if (dtype is null)
        {
            throw new UsageException($"{path}: {what} is not a {{dtype, shape, data}} entry; nested lists are read by input name (an object keyed by the names).");
        }
        else
        {
            var values = new List<double>();
            shape = [.. Nested(path, what, element, values)];
            data = [.. values];
        }
        try
        {
            return Torch.Tensor(data, DType.Float64).To(TensorData.ParseDType(dtype ?? "float32")).Reshape(shape);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"{path}: {what}: {ex.Message}");
        }
    }

    // The shape of nested lists, their numbers appended row-major; every list at a depth must have the same length.
    private static List<long> Nested(string path, string what, JsonElement element, List<double> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                values.Add(element.GetDouble());
                return [];
            case JsonValueKind.True or JsonValueKind.False:
                values.Add(element.GetBoolean() ? 1 : 0);
                return [];
            case JsonValueKind.Array:
            {
                List<long>? inner = null;
                long count = 0;
                foreach (var item in element.EnumerateArray())
                {
                    var shape = Nested(path, what, item, values);
                    if (inner is not null && !inner.SequenceEqual(shape))
                        throw new UsageException($"{path}: {what} is ragged: its lists at one depth have shapes [{string.Join(", ", inner)}] and [{string.Join(", ", shape)}]; a tensor's rows must all be the same length.");
                    inner = shape;
                    count++;
                }
                return [count, .. inner ?? []];
            }
            default:
                throw new UsageException($"{path}: {what} holds {element.GetRawText()}; expected numbers (or true/false) in nested lists.");
        }
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read {path}: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path} is not valid JSON: {e.Message}");
        }
    }

    private static T Read<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? throw new UsageException($"{path} is empty.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read {path}: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path} is not valid: {e.Message}");
        }
    }

    private sealed record TensorEntry(string? DType, long[]? Shape, double[]? Data);
}
