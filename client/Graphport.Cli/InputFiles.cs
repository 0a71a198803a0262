using System.Text.Json;
using Graphport.Grains;

namespace Graphport.Cli;

/// <summary>
/// Reads JSON input files: export inputs (an array of {name, dtype, shape, dims: [{dim, name, min, max}]}) and
/// tensors to invoke with (an array of {dtype, shape, data: [numbers, row-major]}). Problems are usage errors
/// that name the file and the entry.
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

    public static Tensor[] Tensors(string path)
    {
        var entries = Read<TensorEntry[]>(path);
        var tensors = new Tensor[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            var e = entries[i] ?? throw new UsageException($"{path}: tensor {i} is empty.");
            if (e.Shape is null || e.Data is null) throw new UsageException($"{path}: tensor {i} needs a shape and data.");
            long numel = e.Shape.Aggregate(1L, (a, b) => a * b);
            if (e.Shape.Any(s => s < 0) || numel != e.Data.Length)
                throw new UsageException($"{path}: tensor {i} has {e.Data.Length} values, but shape [{string.Join(", ", e.Shape)}] needs {numel}.");
            try
            {
                var dtype = TensorData.ParseDType(e.DType ?? "float32");
                tensors[i] = Torch.Tensor(e.Data, DType.Float64).To(dtype).Reshape(e.Shape);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException($"{path}: tensor {i}: {ex.Message}");
            }
        }
        return tensors;
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
