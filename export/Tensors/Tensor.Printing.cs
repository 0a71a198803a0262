namespace Graphport;

/// <summary>Printing as torch prints: tensor([[...]]) for real tensors, FakeTensor(...) while tracing.</summary>
public partial class Tensor
{
    public override string ToString()
    {
        if (IsFake) return $"FakeTensor(..., size={Shape}, dtype={DType.TorchName()})";
        return TensorFormatter.Format(new Elements(this));
    }

    private sealed class Elements(Tensor t) : ITensorElements
    {
        public DType DType => t.DType;

        public long[] Shape => t.sizes;

        public double GetDouble(long flatIndex) => t.GetDouble(flatIndex);

        public long GetInt64(long flatIndex) => t.GetInt64(flatIndex);

        public bool GetBool(long flatIndex) => t.GetDouble(flatIndex) != 0;

        public System.Numerics.Complex GetComplex(long flatIndex) => t.Storage.GetComplex(t.StorageIndex(flatIndex));
    }
}
