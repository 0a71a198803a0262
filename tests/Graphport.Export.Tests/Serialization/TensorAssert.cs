using Graphport.Serialization;

namespace Graphport.Tests.Serialization;

/// <summary>Equality of tensors to the bit: layout and every byte of the storage.</summary>
internal static class TensorAssert
{
    /// <summary>Same dtype, sizes, strides, offset and the same bytes in the whole storage.</summary>
    public static void BitIdentical(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape.ToString(), actual.Shape.ToString());
        Assert.Equal(expected.Strides, actual.Strides);
        Assert.Equal(expected.StorageOffset, actual.StorageOffset);
        var a = StorageBytes.Window(expected.Storage, 0, checked((int)StorageBytes.Length(expected.Storage)));
        var b = StorageBytes.Window(actual.Storage, 0, checked((int)StorageBytes.Length(actual.Storage)));
        Assert.True(a.SequenceEqual(b), $"{what}: the stored bytes differ.");
    }
}
