using Graphport.Kernels.Backends;

namespace Graphport.Kernels.Tests;

/// <summary>Tensors to the raw bytes device buffers and staging memory hold, and back, for every dtype the backend moves.</summary>
public class HostTensorsTests
{
    public static TheoryData<DType> DTypes => new(Enum.GetValues<DType>());

    [Theory]
    [MemberData(nameof(DTypes))]
    public void A_tensor_written_to_bytes_reads_back_equal_in_shape_dtype_and_values(DType dtype)
    {
        Torch.ManualSeed(61);
        var source = dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16
            ? Torch.Randn(3, 5, 7).To(dtype)
            : Torch.Randint(0, dtype == DType.Bool ? 2 : 100, 3, 5, 7).To(dtype);
        // A transposed view: the bytes are its values in row-major order, not its storage's.
        var view = source.Transpose(0, 2);
        var bytes = new byte[3 * 5 * 7 * Codegen.DTypeSizes.Of(dtype) + 3];
        HostTensors.WriteBytes(view, bytes);

        var back = HostTensors.ReadBytes(bytes, dtype, [7, 5, 3]);

        Assert.Equal(dtype, back.DType);
        Assert.Equal([7L, 5, 3], back.Shape.ToLongs());
        Assert.Equal(0, (back.To(DType.Float64) - view.To(DType.Float64)).Abs().Max().Item());
    }

    [Fact]
    public void A_destination_too_small_for_the_tensor_is_refused_with_both_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => HostTensors.WriteBytes(Torch.Randn(4, 4), new byte[32]));
        Assert.Contains("needs 64 bytes; the destination has 32", error.Message, StringComparison.Ordinal);
    }
}
