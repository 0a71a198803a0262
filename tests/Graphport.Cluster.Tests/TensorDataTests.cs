using Graphport.Grains;

namespace Graphport.Cluster.Tests;

/// <summary>Tensors on the wire: every dtype, complex ones included, crosses as torch's name and its bytes, and back unchanged.</summary>
public sealed class TensorDataTests
{
    public static TheoryData<DType> DTypes => new(Enum.GetValues<DType>());

    [Theory]
    [MemberData(nameof(DTypes))]
    public void A_tensor_of_every_dtype_crosses_the_wire_unchanged(DType dtype)
    {
        Torch.ManualSeed(17);
        var source = dtype.IsComplex()
            ? Torch.Complex(Torch.Randn(3, 4), Torch.Randn(3, 4)).To(dtype)
            : dtype.IsFloatingPoint() ? Torch.Randn(3, 4).To(dtype) : Torch.Randint(0, dtype == DType.Bool ? 2 : 100, 3, 4).To(dtype);
        var wire = TensorData.FromTensor(source.Transpose(0, 1));

        Assert.Equal(dtype.TorchName()["torch.".Length..], wire.DType);
        Assert.Equal(12 * dtype.ElementSize(), wire.Data.Length);
        var back = wire.ToTensor();
        Assert.Equal(dtype, back.DType);
        Assert.True(back.AllClose(source.Transpose(0, 1), 0, 0));
    }
}
