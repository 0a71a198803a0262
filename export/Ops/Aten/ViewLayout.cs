namespace Graphport.Operators;

/// <summary>The layout a view op computes: sizes, strides and storage offset (all possibly symbolic).</summary>
internal readonly record struct ViewLayout(SymInt[] Shape, SymInt[] Strides, SymInt Offset)
{
    public int Rank => Shape.Length;

    public static ViewLayout Of(Tensor t) => t.IsFake
        ? new ViewLayout(t.Shape.AsArray(), t.Fake.Strides, 0)
        : new ViewLayout(t.Shape.AsArray(), t.strides.Select(s => new SymInt(s)).ToArray(), t.offset);

    public bool IsContiguous
    {
        get
        {
            SymInt expected = 1;
            for (int i = Shape.Length - 1; i >= 0; i--)
            {
                if (Shape[i].AsConstant == 1) continue;
                if (!Strides[i].Equals(expected)) return false;
                expected *= Shape[i];
            }
            return true;
        }
    }
}
