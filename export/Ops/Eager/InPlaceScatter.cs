namespace Graphport.Operators;

/// <summary>
/// index_put_ and index_copy_ on real tensors, written straight into self: a static key/value cache's update then
/// moves the token's elements, not a copy of the whole cache and a copy back (what running the functional op and
/// writing its result into self costs). Null when the general path must run: values that share self's storage (they
/// could be overwritten before they are read) or an accumulate with repeated positions is left to it too.
/// </summary>
internal static class InPlaceScatter
{
    public static Tensor? TryRun(OpOverload op, object?[] args)
    {
        switch (op.Name)
        {
            case "aten::index_put_" when args.Length >= 3 && args[0] is Tensor self && args[1] is Tensor?[] indices && args[2] is Tensor values:
                // index_put's checks first, with its messages, as the general path would give them.
                Aten.IndexPut.Meta?.Invoke(args);
                return Put(self, indices, values, accumulate: args.Length > 3 && args[3] is true);
            case "aten::index_copy_" when args.Length >= 4 && args[0] is Tensor self && args[2] is Tensor index && args[3] is Tensor source:
            {
                // index_copy's own checks (dim range, index rank and dtype) run on the functional op's path; only the
                // plain case is taken here: a 1-D int64 index along a dim of a tensor with source of the same rank.
                if (self.Ndim == 0 || index.Ndim != 1 || index.DType != DType.Int64 || source.Ndim != self.Ndim) return null;
                long dim = Aten.L(args[1]);
                if (dim < -self.Ndim || dim >= self.Ndim) return null;
                if (dim < 0) dim += self.Ndim;
                for (int d = 0; d < self.Ndim; d++)
                    if (source.Sizes[d] != (d == dim ? index.NumelLong : self.Sizes[d])) return null;
                var list = new Tensor?[dim + 1];
                list[dim] = index;
                return Put(self, list, source, accumulate: false);
            }
            default:
                return null;
        }
    }

    private static Tensor? Put(Tensor self, Tensor?[] indices, Tensor values, bool accumulate)
    {
        if (accumulate || values.DType != self.DType || ReferenceEquals(values.Storage, self.Storage)
            || indices.Any(i => i is not null && (ReferenceEquals(i.Storage, self.Storage) || i.DType is not (DType.Int64 or DType.Int32)))) return null;
        var (shape, positions) = AdvancedIndexing.Resolve(self.Sizes, self.strides, self.offset, indices);
        if (positions.Length == 0) return self;
        // Repeated positions: which value lands is the last one's in the general path; a scatter in order does the same.
        Eager.ScatterElements(self, positions, Aten.Call(Aten.Expand, values, shape), accumulate: false);
        return self;
    }
}
