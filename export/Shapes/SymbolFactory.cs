namespace Graphport.Shapes;

/// <summary>
/// Gives each dimension of an example input its size in the trace: a constant for static dims, a symbol for
/// dynamic ones (one symbol per Dim, so a Dim used twice is one size), an expression for derived dims.
/// Example sizes outside a Dim's range are rejected here, before tracing starts.
/// </summary>
internal sealed class SymbolFactory(ShapeEnv env)
{
    private readonly Dictionary<Dim, (SymInt Symbol, string Source)> byDim = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, Dim> byName = new(StringComparer.Ordinal);

    public SymInt[] ShapeFor(string source, Tensor example, ShapeSpec? spec)
    {
        var sizes = example.Sizes;
        var shape = new SymInt[sizes.Length];
        for (int d = 0; d < sizes.Length; d++)
        {
            string dimSource = $"{source}.Shape[{d}]";
            var dim = spec is not null && spec.TryGetValue(d, out var given) ? given : null;
            shape[d] = SizeFor(dimSource, sizes[d], dim);
        }
        return shape;
    }

    private SymInt SizeFor(string source, long size, Dim? dim)
    {
        if (dim is null) return size;
        switch (dim.Kind)
        {
            case DimKind.Static:
                return size;
            case DimKind.Exact:
                if (dim.Min != size)
                    throw new ExportException($"The dynamic shapes spec fixes {source} to {dim.Min}, but the example input has {source} = {size}. Make the example match, or change the spec.");
                return size;
            case DimKind.Auto:
            case DimKind.Dynamic:
                if (size is 0 or 1)
                {
                    if (dim.Kind == DimKind.Dynamic)
                        throw new ExportException($"You marked {source} as Dim.Dynamic but the example input has size {size} there, and sizes 0 and 1 are always specialized. Use an example with size >= 2, or Dim.Auto / Dim.Static.");
                    return size;
                }
                CheckRange(source, size, dim.SymbolRange, dim.Kind == DimKind.Auto ? "Dim.Auto" : "Dim.Dynamic");
                return env.CreateSymbol(size, dim.SymbolRange, source, dim);
            case DimKind.Derived:
                return Derived(source, size, (DerivedDim)dim);
            default:
                return Named(source, size, dim);
        }
    }

    private SymInt Named(string source, long size, Dim dim)
    {
        var canonical = Canonical(dim);
        if (byDim.TryGetValue(canonical, out var existing))
        {
            if (existing.Symbol.Hint != size)
                throw new ExportException(
                    $"Dim {dim.Name} is used for {existing.Source} and {source}, which must therefore be equal, but the example inputs have {existing.Source} = {existing.Symbol.Hint} and {source} = {size}. Make the example sizes equal, or use separate Dims.");
            return existing.Symbol;
        }
        if (size is 0 or 1)
            throw new ExportException(
                $"You marked {dim.Name} = {source} as dynamic but the example input has size {size} there, and sizes 0 and 1 are always specialized (a program must not depend on them being 0 or 1). Use an example input with {source} >= 2, or remove the Dim.");
        CheckRange(source, size, dim.SymbolRange, dim.Name);
        var symbol = env.CreateSymbol(size, dim.SymbolRange, source, dim);
        byDim[canonical] = (symbol, source);
        return symbol;
    }

    private SymInt Derived(string source, long size, DerivedDim dim)
    {
        var root = Canonical(dim.Root);
        if (!byDim.TryGetValue(root, out var rootSymbol))
        {
            // The root appears on no input of its own (a phantom root): solve its value from this size.
            long? rootValue = dim.SolveRoot(size);
            if (rootValue is not long r)
                throw new ExportException($"Expected shape {source} = {size} of input Tensor to be of the form {dim.Name}, where {dim.Root.Name} is an integer.");
            CheckRange($"{dim.Root.Name} (solved from {source} = {size} = {dim.Name})", r, dim.Root.SymbolRange, dim.Root.Name);
            rootSymbol = (env.CreateSymbol(r, dim.Root.SymbolRange, dim.Root.Name, dim.Root), dim.Root.Name);
            byDim[root] = rootSymbol;
        }
        var value = rootSymbol.Symbol * dim.Coefficient + dim.Offset;
        if (value.Hint != size)
            throw new ExportException(
                $"Expected {source} = {size} to equal {dim.Name} = {value.Hint} (with {dim.Root.Name} = {rootSymbol.Symbol.Hint} from {rootSymbol.Source}). Make the example sizes consistent with the derived Dim.");
        return value;
    }

    private Dim Canonical(Dim dim)
    {
        if (byName.TryGetValue(dim.Name, out var known))
        {
            if (!ReferenceEquals(known, dim) && (known.Min != dim.Min || known.Max != dim.Max))
                throw new ExportException($"Found different definitions {known} and {dim} for the same symbolic dimension {dim.Name}! Use one Dim object, or give the Dims different names.");
            return known;
        }
        byName[dim.Name] = dim;
        return dim;
    }

    private static void CheckRange(string source, long size, ValueRange range, string dimName)
    {
        if (!range.Contains(size))
            throw new ExportException(
                $"{size} not in range {range}: the example input has {source} = {size}, outside the range of {dimName}. Choose an example inside the range, or widen the Dim's min/max.");
    }
}
