namespace Graphport.Tests.Tensors;

/// <summary>Per-dtype facts, spelled as torch spells them.</summary>
public class DTypeInfoTests
{
    public static TheoryData<DType, int, string, string, Type> Table => new()
    {
        { DType.Float32, 4, "torch.float32", "f32", typeof(float) },
        { DType.Float64, 8, "torch.float64", "f64", typeof(double) },
        { DType.Float16, 2, "torch.float16", "f16", typeof(Half) },
        { DType.BFloat16, 2, "torch.bfloat16", "bf16", typeof(BFloat16) },
        { DType.Int64, 8, "torch.int64", "i64", typeof(long) },
        { DType.Int32, 4, "torch.int32", "i32", typeof(int) },
        { DType.Int8, 1, "torch.int8", "i8", typeof(sbyte) },
        { DType.UInt8, 1, "torch.uint8", "u8", typeof(byte) },
        { DType.Bool, 1, "torch.bool", "b8", typeof(bool) },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_dtype_has_a_size_torch_names_and_a_clr_element_type(DType dtype, int size, string torchName, string shortName, Type clrType)
    {
        Assert.Equal(size, dtype.ElementSize());
        Assert.Equal(torchName, dtype.TorchName());
        Assert.Equal(shortName, dtype.ShortName());
        Assert.Equal(clrType, dtype.ClrType());
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Names_and_clr_types_map_back_to_the_dtype(DType dtype, int size, string torchName, string shortName, Type clrType)
    {
        _ = size;
        Assert.True(DTypeInfo.TryParseTorchName(torchName, out var fromTorchName));
        Assert.Equal(dtype, fromTorchName);
        Assert.True(DTypeInfo.TryParseShortName(shortName, out var fromShortName));
        Assert.Equal(dtype, fromShortName);
        Assert.Equal(dtype, DTypeInfo.FromClrType(clrType));
    }

    [Theory]
    [InlineData(DType.Float32, true, false, false)]
    [InlineData(DType.Float64, true, false, false)]
    [InlineData(DType.Float16, true, false, false)]
    [InlineData(DType.BFloat16, true, false, false)]
    [InlineData(DType.Int64, false, true, true)]
    [InlineData(DType.Int32, false, true, true)]
    [InlineData(DType.Int8, false, true, true)]
    [InlineData(DType.UInt8, false, true, true)]
    [InlineData(DType.Bool, false, false, true)]
    [InlineData(DType.Complex64, false, false, false)]
    [InlineData(DType.Complex128, false, false, false)]
    public void Bool_counts_as_integral_only_when_asked(DType dtype, bool floating, bool integral, bool integralWithBool)
    {
        Assert.Equal(floating, dtype.IsFloatingPoint());
        Assert.Equal(integral, dtype.IsIntegral(includeBool: false));
        Assert.Equal(integralWithBool, dtype.IsIntegral(includeBool: true));
    }

    [Theory]
    [InlineData("torch.float", DType.Float32)]
    [InlineData("torch.double", DType.Float64)]
    [InlineData("torch.half", DType.Float16)]
    [InlineData("torch.long", DType.Int64)]
    [InlineData("torch.int", DType.Int32)]
    [InlineData("torch.cfloat", DType.Complex64)]
    [InlineData("torch.cdouble", DType.Complex128)]
    public void Torch_attribute_aliases_parse_too(string alias, DType expected)
    {
        Assert.True(DTypeInfo.TryParseTorchName(alias, out var dtype));
        Assert.Equal(expected, dtype);
    }

    [Theory]
    [InlineData("float32")]
    [InlineData("torch.int16")]
    [InlineData("torch.complex32")]
    [InlineData("Torch.float32")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_torch_names_do_not_parse(string? name)
    {
        Assert.False(DTypeInfo.TryParseTorchName(name, out _));
    }

    [Theory]
    [InlineData("bool")]
    [InlineData("i16")]
    [InlineData("F32")]
    [InlineData(null)]
    public void Unknown_short_names_do_not_parse(string? name)
    {
        Assert.False(DTypeInfo.TryParseShortName(name, out _));
    }

    [Fact]
    public void Clr_types_without_a_dtype_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => DTypeInfo.FromClrType(typeof(short)));
        Assert.Throws<ArgumentException>(() => DTypeInfo.FromClrType(typeof(decimal)));
    }
}
