namespace Graphport;

public partial class Tensor
{
    /// <summary>
    /// resize_: gives this real tensor new sizes with contiguous strides, keeping its storage offset. The elements
    /// already in storage keep their storage positions; when the new size needs more room than the storage has, a
    /// larger storage replaces it with the old elements copied to the front (new elements are zero here; torch
    /// leaves them uninitialized). Other views of the old storage keep the old storage, unlike torch's shared one.
    /// </summary>
    internal void ResizeInPlace(long[] newSizes)
    {
        if (fake is not null) throw new InvalidOperationException("resize_ cannot change a traced tensor; only real tensors can be resized.");
        long numel = 1;
        foreach (var s in newSizes)
        {
            if (s < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {s}: [{string.Join(", ", newSizes)}]");
            numel = checked(numel * s);
        }
        var current = storage!;
        if (checked(offset + numel) > current.Length)
        {
            var grown = Storage.Allocate(dtype, offset + numel);
            Array.Copy(current.Data, grown.Data, current.Length);
            storage = grown;
        }
        sizes = (long[])newSizes.Clone();
        strides = ContiguousStrides(sizes);
        shape = new Shape(SymInt.FromSizes(sizes));
    }
}
