using Graphport.Tracing;

namespace Graphport;

/// <summary>
/// A strided n-dimensional array (torch.Tensor). Outside export it is real: typed storage, sizes, strides and
/// an offset, computed on eagerly by CPU kernels. While exporting, the same type is a fake tensor: shape and
/// dtype only (sizes may be symbolic) plus the graph node that produces it.
/// </summary>
public partial class Tensor
{
    private readonly DType dtype;
    // Layout fields are writable only so resize_ can change a real tensor in place (Tensor.Resize.cs).
    private Shape shape;
    internal Storage? storage;
    internal long[] sizes;
    internal long[] strides;
    internal long offset;
    internal readonly FakeState? fake;

    internal Tensor(Storage storage, long[] sizes, long[] strides, long offset)
    {
        this.storage = storage;
        dtype = storage.DType;
        this.sizes = sizes;
        this.strides = strides;
        this.offset = offset;
        shape = new Shape(SymInt.FromSizes(sizes));
    }

    internal Tensor(TensorMeta meta, FakeState fakeState)
    {
        dtype = meta.DType;
        shape = new Shape(meta.Shape);
        fake = fakeState;
        sizes = [];
        strides = [];
        fakeState.Strides = meta.Strides;
    }

    /// <summary>Makes a tensor that shares <paramref name="other"/>'s storage and layout (used by Parameter).</summary>
    protected Tensor(Tensor other)
    {
        if (other.fake is not null) throw new ArgumentException("Parameters and buffers must be real tensors, not traced values.", nameof(other));
        storage = other.storage;
        dtype = other.dtype;
        sizes = other.sizes;
        strides = other.strides;
        offset = other.offset;
        shape = other.shape;
    }

    /// <summary>A contiguous tensor over a new storage of the given dtype and sizes (zero-filled).</summary>
    internal static Tensor Empty(DType dtype, long[] sizes)
    {
        long numel = 1;
        foreach (var s in sizes)
        {
            if (s < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {s}: [{string.Join(", ", sizes)}]");
            numel = checked(numel * s);
        }
        return new Tensor(Storage.Allocate(dtype, numel), sizes, ContiguousStrides(sizes), 0);
    }

    /// <summary>Wraps a flat row-major array (float[], long[], ...) as a tensor of the given sizes, without copying.</summary>
    public static Tensor FromArray(Array data, params long[] sizes)
    {
        var s = Storage.Wrap(data);
        long numel = sizes.Aggregate(1L, (a, b) => checked(a * b));
        if (numel != data.LongLength)
            throw new ArgumentException($"An array of {data.LongLength} elements cannot have shape [{string.Join(", ", sizes)}] ({numel} elements).", nameof(sizes));
        return new Tensor(s, sizes, ContiguousStrides(sizes), 0);
    }

    internal static long[] ContiguousStrides(long[] sizes)
    {
        var result = new long[sizes.Length];
        long running = 1;
        for (int i = sizes.Length - 1; i >= 0; i--)
        {
            result[i] = running;
            running *= Math.Max(sizes[i], 1);
        }
        return result;
    }

    public DType DType => dtype;

    public Shape Shape => shape;

    /// <summary>Number of dimensions (torch's x.dim()).</summary>
    public int Ndim => shape.Count;

    /// <summary>Number of dimensions, as torch's x.dim().</summary>
    public int Dim() => shape.Count;

    public SymInt Size(int dim) => shape[dim];

    public SymInt Numel()
    {
        SymInt n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }

    /// <summary>True while tracing: the tensor has metadata and a graph node but no data.</summary>
    public bool IsFake => fake is not null;

    internal FakeState Fake => fake ?? throw new InvalidOperationException("Not a traced tensor.");

    /// <summary>The storage of a real tensor.</summary>
    public Storage Storage => storage ?? throw FakeDataAccess("its storage");

    /// <summary>Strides in elements (real tensors).</summary>
    public IReadOnlyList<long> Strides => fake is null ? strides : fake.Strides.Select(s => (long)s).ToArray();

    public long StorageOffset => fake is null ? offset : 0;

    internal long[] Sizes => fake is null ? sizes : throw FakeDataAccess("its concrete sizes");

    internal long NumelLong => fake is null ? sizes.Aggregate(1L, (a, b) => a * b) : (long)Numel();

    public bool IsContiguous()
    {
        if (fake is not null) return fake.IsContiguous(shape.AsArray());
        long expected = 1;
        for (int i = sizes.Length - 1; i >= 0; i--)
        {
            if (sizes[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= sizes[i];
        }
        return true;
    }

    internal TensorMeta Meta => new(dtype, shape.AsArray(), fake is null ? SymInt.FromSizes(strides) : fake.Strides);

    internal static InvalidOperationException FakeDataAccess(string what) => new(
        $"Cannot read {what} of a tensor while it is being traced by Export: traced tensors have shapes but no data. " +
        "Express the computation with tensor operations, or export with strict: false if this code only inspects values.");

    /// <summary>Element at a flat row-major index of a real tensor, as double (for printing and checks).</summary>
    internal double GetDouble(long flatIndex) => Storage.GetDouble(StorageIndex(flatIndex));

    internal long GetInt64(long flatIndex) => Storage.GetInt64(StorageIndex(flatIndex));

    internal long StorageIndex(long flatIndex)
    {
        long index = offset;
        for (int d = sizes.Length - 1; d >= 0; d--)
        {
            long size = sizes[d];
            if (size == 0) return offset;
            index += flatIndex % size * strides[d];
            flatIndex /= size;
        }
        return index;
    }
}
