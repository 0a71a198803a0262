namespace Graphport;

public partial class Tensor
{
    /// <summary>
    /// Indexing as torch's x[...]: ints, ranges, slices, ellipsis and new axes give a view; index tensors (positions
    /// or boolean masks, <see cref="TensorIndex"/>) then pick elements as <c>aten::index.Tensor</c>, a copy. Setting
    /// writes through: a copy into the view, or <c>index_put_</c> at the picked positions.
    /// </summary>
    // Named "At" in IL because "Item" (the default indexer name) is taken by Item(), torch's x.item().
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[params TensorIndex[] indices]
    {
        get
        {
            var (view, picked) = Index(indices);
            if (picked is not null) return Aten.Call(Aten.IndexTensor, view, picked);
            // Indexing always returns a new view object, as torch's x[...] does, so writes through it reach x.
            return ReferenceEquals(view, this) ? Alias() : view;
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var (view, picked) = Index(indices);
            if (picked is null)
            {
                view.Copy_(value);
                return;
            }
            // A C# number arrives here as a 0-d tensor of its own dtype (x[mask] = 0 is an int64 0); torch makes a
            // Python number self's dtype before index_put_, which refuses mixed dtypes, so a 0-d value is cast.
            var values = value.Ndim == 0 && value.DType != DType ? value.To(DType) : value;
            Torch.Ops["aten::index_put_"].Call(view, picked, values, false);
        }
    }

    /// <summary>
    /// The basic part of an index applied as views (torch applies ints, slices and new axes first, in order), and the
    /// index tensors by the dim of that view they start at, null for dims taken whole, as index.Tensor takes them;
    /// picked is null when there is no index tensor.
    /// </summary>
    private (Tensor View, Tensor?[]? Picked) Index(TensorIndex[] indices)
    {
        int consumed = indices.Sum(i => i.Kind switch
        {
            TensorIndex.IndexKind.Integer or TensorIndex.IndexKind.Slice => 1,
            TensorIndex.IndexKind.Tensor => DimsCovered(i.Positions!),
            _ => 0,
        });
        int ellipses = indices.Count(i => i.Kind == TensorIndex.IndexKind.Ellipsis);
        if (ellipses > 1) throw new IndexOutOfRangeException("an index can only have a single ellipsis ('...')");
        if (consumed > Ndim) throw new IndexOutOfRangeException($"too many indices for tensor of dimension {Ndim}");
        var result = this;
        List<Tensor?>? picked = null;
        int pickedDims = 0;
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
                case TensorIndex.IndexKind.Tensor:
                    var positions = index.Positions!;
                    picked ??= [];
                    for (; pickedDims < dim; pickedDims++) picked.Add(null);
                    picked.Add(positions);
                    pickedDims += DimsCovered(positions);
                    dim += DimsCovered(positions);
                    break;
            }
        }
        return (result, picked?.ToArray());
    }

    /// <summary>Positions index one dim; a mask covers as many as it has (at least one: index.Tensor refuses a 0-d mask).</summary>
    private static int DimsCovered(Tensor positions) => positions.DType is DType.Bool or DType.UInt8 ? Math.Max(positions.Ndim, 1) : 1;
}
