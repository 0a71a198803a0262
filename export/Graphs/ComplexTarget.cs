namespace Graphport.Graphs;

/// <summary>
/// The ops of a torch program that make or unmake complex tensors (Llama 4's rotary embedding: torch.polar, then
/// view_as_complex of the queries and keys, a complex product, view_as_real). Graphport has no complex dtype: they exist
/// only between loading an archive and <see cref="ComplexLowering"/>, which rewrites complex values as float32 tensors
/// with a trailing pair (real, imaginary), as view_as_real lays them out; nothing runs them.
/// </summary>
public sealed class ComplexTarget
{
    private ComplexTarget(string name) => Name = name;

    /// <summary>The op's qualified name ("aten::polar").</summary>
    public string Name { get; }

    public static readonly ComplexTarget Polar = new("aten::polar");

    public static readonly ComplexTarget ViewAsComplex = new("aten::view_as_complex");

    public static readonly ComplexTarget ViewAsReal = new("aten::view_as_real");

    /// <summary>The ScalarType argument torch.complex64 (a to() or a metadata check of a complex value).</summary>
    public static readonly object ComplexFloat = new ComplexFloatType();

    private static readonly ComplexTarget[] All = [Polar, ViewAsComplex, ViewAsReal];

    public static ComplexTarget? ByName(string qualified) => All.FirstOrDefault(t => t.Name == qualified);

    public override string ToString() => Name;

    private sealed class ComplexFloatType
    {
        public override string ToString() => "torch.complex64";
    }
}
