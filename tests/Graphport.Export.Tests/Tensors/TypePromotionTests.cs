namespace Graphport.Tests.Tensors;

/// <summary>Torch's type promotion: <c>torch.promote_types</c> and <c>torch.result_type</c>.</summary>
public class TypePromotionTests
{
    [Theory]
    [InlineData(DType.Float32, DType.Float32, DType.Float32)]
    [InlineData(DType.Bool, DType.Bool, DType.Bool)]
    [InlineData(DType.Bool, DType.UInt8, DType.UInt8)]
    [InlineData(DType.Bool, DType.Int8, DType.Int8)]
    [InlineData(DType.Bool, DType.Float16, DType.Float16)]
    [InlineData(DType.UInt8, DType.Int32, DType.Int32)]
    [InlineData(DType.UInt8, DType.Int64, DType.Int64)]
    [InlineData(DType.Int8, DType.Int32, DType.Int32)]
    [InlineData(DType.Int8, DType.Int64, DType.Int64)]
    [InlineData(DType.Int32, DType.Int64, DType.Int64)]
    [InlineData(DType.Int64, DType.Float16, DType.Float16)]
    [InlineData(DType.Int64, DType.BFloat16, DType.BFloat16)]
    [InlineData(DType.Int32, DType.Float32, DType.Float32)]
    [InlineData(DType.UInt8, DType.Float32, DType.Float32)]
    [InlineData(DType.Int64, DType.Float64, DType.Float64)]
    [InlineData(DType.Float16, DType.Float32, DType.Float32)]
    [InlineData(DType.BFloat16, DType.Float32, DType.Float32)]
    [InlineData(DType.Float16, DType.BFloat16, DType.Float32)]
    [InlineData(DType.BFloat16, DType.Float64, DType.Float64)]
    [InlineData(DType.Float32, DType.Float64, DType.Float64)]
    public void Promote_types_follows_torch(DType a, DType b, DType expected)
    {
        Assert.Equal(expected, DTypeInfo.Promote(a, b));
        Assert.Equal(expected, DTypeInfo.Promote(b, a));
    }

    [Fact]
    public void Uint8_with_int8_promotes_to_int32_because_graphport_has_no_int16()
    {
        // torch.promote_types(torch.uint8, torch.int8) is torch.int16.
        Assert.Equal(DType.Int32, DTypeInfo.Promote(DType.UInt8, DType.Int8));
    }

    [Fact]
    public void Promotion_is_symmetric_and_never_narrows_either_side_of_the_same_category()
    {
        foreach (var a in Enum.GetValues<DType>())
        {
            foreach (var b in Enum.GetValues<DType>())
            {
                var result = DTypeInfo.Promote(a, b);
                Assert.Equal(result, DTypeInfo.Promote(b, a));
                Assert.Equal(result, DTypeInfo.Promote(result, a));
                Assert.Equal(result, DTypeInfo.Promote(result, b));
            }
        }
    }

    [Theory]
    [InlineData(DType.Int64, ScalarKind.Floating, DType.Float32)]
    [InlineData(DType.Int8, ScalarKind.Floating, DType.Float32)]
    [InlineData(DType.Float16, ScalarKind.Floating, DType.Float16)]
    [InlineData(DType.BFloat16, ScalarKind.Integer, DType.BFloat16)]
    [InlineData(DType.Float64, ScalarKind.Integer, DType.Float64)]
    [InlineData(DType.Bool, ScalarKind.Integer, DType.Int64)]
    [InlineData(DType.Bool, ScalarKind.Floating, DType.Float32)]
    [InlineData(DType.Bool, ScalarKind.Bool, DType.Bool)]
    [InlineData(DType.UInt8, ScalarKind.Integer, DType.UInt8)]
    [InlineData(DType.Int32, ScalarKind.Integer, DType.Int32)]
    [InlineData(DType.Int32, ScalarKind.Bool, DType.Int32)]
    public void A_python_number_only_changes_the_dtype_when_its_category_is_higher(DType tensor, ScalarKind scalar, DType expected)
    {
        Assert.Equal(expected, DTypeInfo.PromoteWithScalar(tensor, scalar));
    }

    [Fact]
    public void A_zero_dim_tensor_behaves_like_a_number_but_keeps_its_own_dtype_when_it_wins()
    {
        // int32[3] + float64[] -> float64: the zero-dim tensor's category is higher, and its dtype is used.
        Assert.Equal(DType.Float64, DTypeInfo.PromoteOperands([(DType.Int32, false), (DType.Float64, true)], []));
        // float32[3] + float64[] -> float32: same category, the dimensioned tensor decides.
        Assert.Equal(DType.Float32, DTypeInfo.PromoteOperands([(DType.Float32, false), (DType.Float64, true)], []));
        Assert.Equal(DType.Int32, DTypeInfo.PromoteOperands([(DType.Int32, false), (DType.Int64, true)], []));
        Assert.Equal(DType.UInt8, DTypeInfo.PromoteOperands([(DType.UInt8, false), (DType.Int8, true)], []));
        Assert.Equal(DType.Int32, DTypeInfo.PromoteOperands([(DType.Bool, false), (DType.Int32, true)], []));
    }

    [Fact]
    public void Dimensioned_tensors_promote_among_themselves_first()
    {
        Assert.Equal(DType.Int32, DTypeInfo.PromoteOperands([(DType.UInt8, false), (DType.Int8, false)], [ScalarKind.Integer]));
        Assert.Equal(DType.Float32, DTypeInfo.PromoteOperands([(DType.Float16, false), (DType.BFloat16, false)], [ScalarKind.Floating]));
    }

    [Fact]
    public void Zero_dim_tensors_outrank_numbers_of_the_same_category()
    {
        Assert.Equal(DType.Float16, DTypeInfo.PromoteOperands([(DType.Int32, false), (DType.Float16, true)], [ScalarKind.Floating]));
        Assert.Equal(DType.Float32, DTypeInfo.PromoteOperands([(DType.Int32, true)], [ScalarKind.Floating]));
        Assert.Equal(DType.Int32, DTypeInfo.PromoteOperands([(DType.Int8, true), (DType.Int32, true)], [ScalarKind.Integer]));
    }

    [Fact]
    public void Numbers_alone_take_their_default_dtypes()
    {
        Assert.Equal(DType.Float32, DTypeInfo.PromoteOperands([], [ScalarKind.Integer, ScalarKind.Floating]));
        Assert.Equal(DType.Int64, DTypeInfo.PromoteOperands([], [ScalarKind.Bool, ScalarKind.Integer]));
        Assert.Equal(DType.Bool, DTypeInfo.PromoteOperands([], [ScalarKind.Bool]));
    }

    [Fact]
    public void Promotion_needs_an_operand()
    {
        Assert.Throws<ArgumentException>(() => DTypeInfo.PromoteOperands([], []));
    }
}
