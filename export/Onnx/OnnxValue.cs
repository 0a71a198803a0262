namespace Graphport.Onnx;

/// <summary>What an ONNX value name holds while a model is imported.</summary>
internal abstract class OnnxValue
{
    public abstract DType DType { get; }
}

/// <summary>A tensor: a traced one (from the graph inputs) or a real one (a constant, or folded from constants).</summary>
internal sealed class TensorValue(Tensor tensor) : OnnxValue
{
    public Tensor Tensor { get; } = tensor;

    public override DType DType => Tensor.DType;
}

/// <summary>
/// A small integer tensor whose elements are known while tracing, though some may be symbolic sizes: what
/// Shape produces and what Gather/Concat/Unsqueeze/Slice/arithmetic make of it before it reaches a Reshape or
/// an Expand. Keeping these as sizes instead of graph ops is what keeps the program's dims symbolic.
/// </summary>
internal sealed class ShapeValue(DType dtype, long[] dims, SymInt[] items) : OnnxValue
{
    public override DType DType { get; } = dtype;

    /// <summary>The value's own shape: [] for a scalar, [n] for a vector of n sizes.</summary>
    public long[] Dims { get; } = dims;

    /// <summary>The elements, row-major.</summary>
    public SymInt[] Items { get; } = items;

    public bool IsConcrete => Items.All(i => !i.IsSymbolic);

    public static ShapeValue Vector(SymInt[] items, DType dtype = DType.Int64) => new(dtype, [items.Length], items);

    public static ShapeValue Scalar(SymInt item, DType dtype = DType.Int64) => new(dtype, [], [item]);

    public override string ToString() => $"[{string.Join(", ", Items)}]";
}
