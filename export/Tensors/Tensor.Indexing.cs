namespace Graphport;

public partial class Tensor
{
    /// <summary>Basic indexing with ints, ranges, slices, ellipsis and new axes; the result is a view.</summary>
    // Named "At" in IL because "Item" (the default indexer name) is taken by Item(), torch's x.item().
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[params TensorIndex[] indices]
    {
        get => Index(indices);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Index(indices).Copy_(value);
        }
    }

    private Tensor Index(TensorIndex[] indices)
    {
        int consumed = indices.Count(i => i.Kind is TensorIndex.IndexKind.Integer or TensorIndex.IndexKind.Slice);
        int ellipses = indices.Count(i => i.Kind == TensorIndex.IndexKind.Ellipsis);
        if (ellipses > 1) throw new IndexOutOfRangeException("an index can only have a single ellipsis ('...')");
        if (consumed > Ndim) throw new IndexOutOfRangeException($"too many indices for tensor of dimension {Ndim}");
        var result = this;
        int dim = 0;
        foreach (var index in indices)
        {
            switch (index.Kind)
            {
                case TensorIndex.IndexKind.Integer:
                    result = result.Select(dim, index.Integer);
                    break;
                case TensorIndex.IndexKind.Slice:
                    if (index.Start is null && index.Stop is null && index.Step == 1) { dim++; break; }
                    result = result.Slice(dim, index.Start, index.Stop, index.Step);
                    dim++;
                    break;
                case TensorIndex.IndexKind.Ellipsis:
                    dim += Ndim - consumed;
                    break;
                case TensorIndex.IndexKind.NewAxis:
                    result = result.Unsqueeze(dim);
                    dim++;
                    break;
            }
        }
        // Indexing always returns a new view object, as torch's x[...] does, so writes through it reach x.
        return ReferenceEquals(result, this) ? Alias() : result;
    }
}
