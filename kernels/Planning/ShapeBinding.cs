using Graphport.Graphs;
using Graphport.Shapes;

namespace Graphport.Kernels.Planning;

/// <summary>
/// Concrete values for a program's size symbols (s0 = 32, ...): one shape bucket. Every symbolic size of the
/// program evaluates to a number under it, which is what lets a bucket compile to constant index math.
/// </summary>
public sealed class ShapeBinding : IEquatable<ShapeBinding>
{
    private readonly SortedDictionary<string, long> values;

    public ShapeBinding(IReadOnlyDictionary<string, long> values) => this.values = new(values.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);

    public static ShapeBinding Empty { get; } = new(new Dictionary<string, long>());

    public IReadOnlyDictionary<string, long> Values => values;

    public long Evaluate(SymInt size)
    {
        if (size.AsConstant is long c) return c;
        return Simplified(size).Evaluate(atom => values.TryGetValue(atom.Name, out var v) ? v
            : throw new InvalidOperationException($"No value for size symbol {atom.Name} in this shape bucket ({this})."));
    }

    public long[] Evaluate(IReadOnlyList<SymInt> shape) => shape.Select(Evaluate).ToArray();

    /// <summary>A symbol of the size this bucket gives no value (one the data decides: u0 of a mask's pick), or null.</summary>
    public string? Unbound(SymInt size)
    {
        if (size.AsConstant is not null) return null;
        return Simplified(size).FreeSymbols().FirstOrDefault(atom => !values.ContainsKey(atom.Name))?.Name;
    }

    // A size in the terms of its program's symbols, replacements applied (s1 known to equal s0 reads as s0).
    private static SymExpr Simplified(SymInt size) => size.Env is { } env ? env.Simplify(size.Expr) : size.Expr;

    /// <summary>
    /// Reads the symbols' values off the user inputs' shapes and checks that every input dimension agrees with
    /// the program (a wrong size names the input, the dimension and both values).
    /// </summary>
    public static ShapeBinding FromInputs(ExportedProgram program, IReadOnlyList<long[]> userInputShapes)
    {
        var placeholders = UserPlaceholders(program);
        if (placeholders.Count != userInputShapes.Count)
            throw new ArgumentException($"The program takes {placeholders.Count} user inputs ({string.Join(", ", placeholders.Select(p => p.Name))}) but {userInputShapes.Count} shapes were given.");
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < placeholders.Count; i++)
        {
            if (placeholders[i].Value is not TensorMeta meta) continue;
            var actual = userInputShapes[i];
            if (actual.Length != meta.Rank)
                throw new ArgumentException($"Input {placeholders[i].Name} should have {meta.Rank} dimensions ({meta.Describe()}) but has shape [{string.Join(", ", actual)}].");
            for (int d = 0; d < meta.Rank; d++)
            {
                var size = meta.Shape[d];
                if (size.AsConstant is null && size.Env is { } env && env.Simplify(size.Expr).IsSymbol(out var symbol))
                    values.TryAdd(symbol.Name, actual[d]);
            }
        }
        var binding = new ShapeBinding(values);
        for (int i = 0; i < placeholders.Count; i++)
        {
            if (placeholders[i].Value is not TensorMeta meta) continue;
            for (int d = 0; d < meta.Rank; d++)
            {
                long expected = binding.Evaluate(meta.Shape[d]);
                if (expected != userInputShapes[i][d])
                    throw new ArgumentException($"Input {placeholders[i].Name} dimension {d} is {userInputShapes[i][d]} but the program expects {meta.Shape[d]} = {expected} (input shape [{string.Join(", ", userInputShapes[i])}]).");
            }
        }
        foreach (var (name, value) in values)
        {
            // Sizes 0 and 1 are specialized away while tracing, so a range starting at 2 still admits 1 at run time (as the interpreter does).
            if (program.RangeConstraints.TryGetValue(name, out var range) && (value < Math.Min(range.Lower, 1) || value > range.Upper))
                throw new ArgumentException($"Size {name} = {value} is outside the program's range [{range.Lower}, {range.Upper}].");
        }
        return binding;
    }

    /// <summary>The example sizes the program was traced with (each symbol's hint).</summary>
    public static ShapeBinding FromHints(ExportedProgram program) =>
        FromInputs(program, UserPlaceholders(program).Select(p => p.Value is TensorMeta m ? m.Shape.Select(s => s.Hint).ToArray() : []).ToList());

    public static IReadOnlyList<Node> UserPlaceholders(ExportedProgram program)
    {
        var specs = program.GraphSignature.InputSpecs;
        var placeholders = program.Graph.Placeholders.ToList();
        return placeholders.Where((_, i) => i < specs.Count && specs[i].Kind == InputKind.UserInput).ToList();
    }

    public bool Equals(ShapeBinding? other) => other is not null && values.Count == other.values.Count && values.All(kv => other.values.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override bool Equals(object? obj) => Equals(obj as ShapeBinding);

    public override int GetHashCode() => values.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value));

    public override string ToString() => values.Count == 0 ? "static shapes" : string.Join(", ", values.Select(kv => $"{kv.Key}={kv.Value}"));
}
