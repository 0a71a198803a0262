namespace Graphport.Grains;

/// <summary>
/// Turns wire input specs into what Torch.Export takes: example tensors (the given example, or random values of
/// the declared dtype and shape) and DynamicShapes keyed by Forward's parameter names. Every inconsistency is a
/// GraphportException (InvalidRequest) that names the input and dimension.
/// </summary>
public static class ExampleInputs
{
    public static object?[] Tensors(IReadOnlyList<ExportInput> inputs)
    {
        var result = new object?[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            var spec = inputs[i];
            var dtype = ParseDType(spec);
            CheckShape(spec);
            if (spec.Example is { } example)
            {
                Tensor tensor;
                try
                {
                    tensor = example.ToTensor();
                }
                catch (ArgumentException e)
                {
                    throw Invalid($"Input '{spec.Name}' has a malformed example: {e.Message}");
                }
                if (tensor.DType != dtype || !tensor.Shape.Select(s => (long)s).SequenceEqual(spec.Shape))
                    throw Invalid($"Input '{spec.Name}' declares {spec.DType}[{string.Join(", ", spec.Shape)}] but its example is {example}.");
                result[i] = tensor;
            }
            else
            {
                result[i] = Random(dtype, spec.Shape);
            }
        }
        return result;
    }

    public static DynamicShapes? Shapes(IReadOnlyList<ExportInput> inputs)
    {
        var dims = new Dictionary<string, Dim>(StringComparer.Ordinal);
        var shapes = new DynamicShapes();
        foreach (var spec in inputs)
        {
            if (spec.Dims is not { Length: > 0 }) continue;
            var shapeSpec = new ShapeSpec();
            foreach (var d in spec.Dims)
            {
                if (d is null) throw Invalid($"Input '{spec.Name}' has an empty dim entry.");
                if (d.Dim < 0 || d.Dim >= spec.Shape.Length)
                    throw Invalid($"Input '{spec.Name}' has rank {spec.Shape.Length}, so it has no dimension {d.Dim} to make dynamic.");
                if (shapeSpec.ContainsKey(d.Dim)) throw Invalid($"Input '{spec.Name}' declares dimension {d.Dim} twice.");
                shapeSpec[d.Dim] = DimFor(d, dims, spec.Name);
            }
            shapes[spec.Name] = shapeSpec;
        }
        return shapes.Count == 0 ? null : shapes;
    }

    private static Dim DimFor(DimSpec spec, Dictionary<string, Dim> named, string input)
    {
        try
        {
            switch (spec.Kind)
            {
                case DimSpecKind.Auto: return Dim.AutoBetween(spec.Min, spec.Max);
                case DimSpecKind.Dynamic: return Dim.DynamicBetween(spec.Min, spec.Max);
                case DimSpecKind.Static: return Dim.Static;
            }
            if (named.TryGetValue(spec.Name, out var existing))
            {
                // One name is one symbol: its bounds must be declared the same way everywhere.
                if (existing.Min != spec.Min || existing.Max != spec.Max)
                    throw Invalid($"Dim '{spec.Name}' is declared with different bounds on input '{input}' (min {spec.Min}, max {spec.Max}) than before (min {existing.Min}, max {existing.Max}).");
                return existing;
            }
            var dim = new Dim(spec.Name, spec.Min, spec.Max);
            named[spec.Name] = dim;
            return dim;
        }
        catch (ArgumentException e)
        {
            throw Invalid($"Input '{input}' dimension {spec.Dim}: {e.Message}");
        }
    }

    private static DType ParseDType(ExportInput spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Name)) throw Invalid("Every input needs the name of its Forward parameter.");
        try
        {
            return TensorData.ParseDType(spec.DType);
        }
        catch (ArgumentException e)
        {
            throw Invalid($"Input '{spec.Name}': {e.Message}");
        }
    }

    private static void CheckShape(ExportInput spec)
    {
        if (spec.Shape is null) throw Invalid($"Input '{spec.Name}' has no shape.");
        if (spec.Shape.Any(s => s < 0)) throw Invalid($"Input '{spec.Name}' has a negative size in [{string.Join(", ", spec.Shape)}].");
        // Saturating product: a shape whose size overflows is as much "too large" as one just over the limit.
        long numel = 1;
        foreach (long size in spec.Shape) numel = size > 0 && numel > (1L << 28) / size ? long.MaxValue : numel * Math.Max(size, 1);
        if (numel > 1L << 28) throw Invalid($"Input '{spec.Name}' of shape [{string.Join(", ", spec.Shape)}] is too large for an example; export with a smaller one.");
    }

    private static Tensor Random(DType dtype, long[] shape) => dtype switch
    {
        DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16 => Torch.Randn(shape, dtype),
        DType.Bool => Torch.Zeros(shape, DType.Bool),
        // Small non-negative integers are valid indices (embeddings, gathers), the usual use of integer inputs.
        _ => Torch.Randint(0, 2, shape).To(dtype),
    };

    private static GraphportException Invalid(string message) => new(GraphportErrorKind.InvalidRequest, message);
}
