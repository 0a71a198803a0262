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

    [Theory]
    [InlineData(1 << 20)] // the smallest split copy
    [InlineData(3 * (1 << 20) + 7)] // ranges that do not divide evenly, and an odd tail
    [InlineData((1 << 20) - 1)] // just below: one thread
    public void Large_tensors_cross_the_staging_bytes_intact(int bytes)
    {
        Torch.ManualSeed((ulong)bytes);
        var source = Torch.Randint(0, 256, bytes).To(DType.UInt8);
        var staging = new byte[bytes + 5];
        Array.Fill(staging, (byte)0xAB);

        HostTensors.WriteBytes(source, staging);
        var back = HostTensors.ReadBytes(staging, DType.UInt8, [bytes]);

        Assert.Equal(source.ToArray<byte>(), back.ToArray<byte>());
        // Nothing past the tensor's bytes was written.
        Assert.All(staging[bytes..], b => Assert.Equal(0xAB, b));
    }

    [Fact]
    public void A_staging_copy_into_too_few_bytes_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => StagingCopy.Copy(new byte[2 << 20], new byte[(2 << 20) - 1]));
        Assert.Contains("2097151 bytes for 2097152", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_destination_too_small_for_the_tensor_is_refused_with_both_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => HostTensors.WriteBytes(Torch.Randn(4, 4), new byte[32]));
        Assert.Contains("needs 64 bytes; the destination has 32", error.Message, StringComparison.Ordinal);
    }
}
