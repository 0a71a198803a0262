namespace Graphport.Operators;

/// <summary>
/// index_put_ and index_copy_ on real tensors, written straight into self: a static key/value cache's update then
/// moves the token's elements, not a copy of the whole cache and a copy back (what running the functional op and
/// writing its result into self costs). index_copy_ is checked as its functional op checks it and written as index_put_,
/// and both get index_put's checks first. Null when the general path must run: values or indices that share self's
/// storage (they could be overwritten before they are read), accumulation, values of another dtype, boolean masks.
/// </summary>
internal static class InPlaceScatter
{
    public static Tensor? TryRun(OpOverload op, object?[] args) => op.Name switch
    {
        "aten::index_put_" when args.Length >= 3 && args[0] is Tensor self && args[1] is Tensor?[] indices && args[2] is Tensor values =>
            Put(self, indices, values, accumulate: args.Length > 3 && args[3] is true),
        "aten::index_copy_" when args.Length >= 4 && args[0] is Tensor && args[2] is Tensor && args[3] is Tensor =>
            Aten.IndexCopyAsIndexPut(args) is var (self, indices, source) ? Put(self, indices, source, accumulate: false) : null,
        _ => null,
    };

    private static Tensor? Put(Tensor self, Tensor?[] indices, Tensor values, bool accumulate)
    {
        // index_put's checks first, with its messages, as the general path would give them.
        Aten.IndexPut.Meta?.Invoke([self, indices, values, accumulate]);
        if (accumulate || values.DType != self.DType || ReferenceEquals(values.Storage, self.Storage)
            || indices.Any(i => i is not null && (ReferenceEquals(i.Storage, self.Storage) || i.DType is not (DType.Int64 or DType.Int32)))) return null;
        var (shape, positions) = AdvancedIndexing.Resolve(self.Sizes, self.strides, self.offset, indices);
        if (positions.Length == 0) return self;
        // Repeated positions: which value lands is the last one's in the general path; a scatter in order does the same.
        Eager.ScatterElements(self, positions, Aten.Call(Aten.Expand, values, shape), accumulate: false);
        return self;
    }
}
