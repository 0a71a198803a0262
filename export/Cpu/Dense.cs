namespace Graphport.Cpu;

/// <summary>A kernel result whose shape the kernel computed: row-major data plus its shape (not a tensor, just the pair).</summary>
public readonly record struct Dense<T>(T[] Data, long[] Shape)
{
    public StridedLayout Layout => StridedLayout.Contiguous(Shape);
}
