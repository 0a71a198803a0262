namespace Graphport;

/// <summary>What a tensor is without its data: dtype, (symbolic) shape and strides. Meta functions produce these.</summary>
public sealed record TensorMeta(DType DType, SymInt[] Shape, SymInt[] Strides)
{
    public TensorMeta(DType dtype, SymInt[] shape) : this(dtype, shape, ContiguousStrides(shape)) { }

    public int Rank => Shape.Length;

    public static SymInt[] ContiguousStrides(IReadOnlyList<SymInt> shape)
    {
        var strides = new SymInt[shape.Count];
        SymInt running = 1;
        for (int i = shape.Count - 1; i >= 0; i--)
        {
            strides[i] = running;
            // torch treats size-0/1 dims as stride-neutral; max(size, 1) keeps strides positive for empty tensors.
            running *= shape[i].AsConstant is long c ? Math.Max(c, 1) : shape[i];
        }
        return strides;
    }

    /// <summary>"f32[8, 100]", as FX prints a value's type.</summary>
    public string Describe() => $"{DType.ShortName()}[{string.Join(", ", Shape.Select(s => s.ToString()))}]";

    public override string ToString() => Describe();
}
