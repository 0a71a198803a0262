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

    /// <summary>Consumers that read this value (through views, counted as their own consumers), when it was inlined.</summary>
    public int Users { get; set; }

    /// <summary>
    /// For a view of a value not yet stored: that value, and the view of it once stored. A view that must be stored
    /// (a matrix product's operand) whose value other consumers share stores the value once and views it (a norm's
    /// output that the query, key and value projections each read through their own reshape), instead of computing
    /// it again into each view's own buffer.
    /// </summary>
    public (PlannedValue Source, Func<StridedView, StridedView?> ViewOfStored)? ViewSource { get; set; }

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
