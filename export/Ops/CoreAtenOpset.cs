namespace Graphport.Operators;

/// <summary>
/// The Core ATen opset: the ~190 overloads every backend must support and that RunDecompositions targets
/// (torch.compiler_ir "Core ATen IR"). Read from the embedded list of qualified names.
/// </summary>
public static class CoreAtenOpset
{
    private static readonly Lazy<IReadOnlySet<string>> Names = new(Load);

    /// <summary>Qualified names such as "aten::add.Tensor" and "aten::relu" (default overloads have no suffix).</summary>
    public static IReadOnlySet<string> All => Names.Value;

    public static bool Contains(OpOverload op) => Names.Value.Contains(op.Name);

    private static IReadOnlySet<string> Load()
    {
        using var stream = typeof(CoreAtenOpset).Assembly.GetManifestResourceStream("Graphport.core_aten_ops.txt")
            ?? throw new InvalidOperationException("The embedded Core ATen op list is missing from Graphport.Export.");
        using var reader = new StreamReader(stream);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
            if (line.Trim().Length > 0) names.Add(line.Trim());
        return names;
    }
}
