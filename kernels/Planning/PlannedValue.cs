using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>
/// What the planner knows about one tensor of the graph at the bucket's concrete shape: either stored (a strided
/// view of a buffer) or not yet computed, as a body that gives its value at any coordinates. Bodies are how
/// pointwise chains fuse: a consumer calls the producer's body instead of loading from memory.
/// </summary>
internal sealed class PlannedValue
{
    public PlannedValue(string name, DType dtype, long[] shape)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
    }

    public string Name { get; }

    public DType DType { get; }

    public long[] Shape { get; }

    public long Numel => Shape.Aggregate(1L, (a, b) => a * b);

    public StridedView? Stored { get; set; }

    public Func<IndexExpr[], Expr>? Body { get; set; }

    /// <summary>The ops fused into this value so far, for kernel names and comments.</summary>
    public List<string> Provenance { get; } = [];

    /// <summary>How many reads of one element a consumer makes relative to its size (im2col: 9 for 3x3).</summary>
    public bool IsStored => Stored is not null;

    /// <summary>The value at the given coordinates (a load, or the inlined body).</summary>
    public Expr Read(IndexExpr[] coordinates)
    {
        if (coordinates.Length != Shape.Length)
            throw new InvalidOperationException($"{Name} has rank {Shape.Length} but was read with {coordinates.Length} coordinates.");
        if (Stored is { } view) return new LoadExpr(view.Buffer, view.Index(coordinates));
        return Body!(coordinates);
    }

    public string Describe() => $"{DType.ShortName()}[{string.Join(", ", Shape)}]";

    public override string ToString() => Name;
}
