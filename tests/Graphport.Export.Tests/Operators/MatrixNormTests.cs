namespace Graphport.Tests.Operators;

/// <summary>
/// linalg_norm over two dims with an order: ±1 is the largest or smallest column sum of |x|, ±inf the row sum, on
/// random inputs; orders that need singular values are refused naming the ones that work. (Torch's own outputs for
/// these: Interop/TorchFunctionArchivesTests, model_code.)
/// </summary>
public class MatrixNormTests
{
    private static Tensor Norm(Tensor x, double ord, long[]? dim = null, bool keepdim = false) =>
        (Tensor)Torch.Ops["aten::linalg_norm"].Call([x, ord], new Dictionary<string, object?> { ["dim"] = dim, ["keepdim"] = keepdim })!;

    [Fact]
    public void Orders_one_and_infinity_are_the_extreme_column_and_row_sums_of_absolute_values()
    {
        Torch.ManualSeed(31);
        var x = Torch.Randn(5, 7);
        var columnSums = x.Abs().Sum([0L]).ToArray<float>();
        var rowSums = x.Abs().Sum([1L]).ToArray<float>();

        Assert.Equal(columnSums.Max(), Norm(x, 1).Item(), 1e-5);
        Assert.Equal(columnSums.Min(), Norm(x, -1).Item(), 1e-5);
        Assert.Equal(rowSums.Max(), Norm(x, double.PositiveInfinity).Item(), 1e-5);
        Assert.Equal(rowSums.Min(), Norm(x, double.NegativeInfinity).Item(), 1e-5);
        // The dims in the other order swap rows and columns; keepdim keeps both as ones.
        Assert.Equal(rowSums.Max(), Norm(x, 1, [1L, 0L]).Item(), 1e-5);
        Assert.Equal([1L, 1L], Norm(x, 1, keepdim: true).Shape.Select(s => (long)s));
    }

    [Fact]
    public void Orders_that_need_singular_values_are_refused_naming_the_supported_ones()
    {
        var e = Assert.Throws<NotSupportedException>(() => Norm(Torch.Randn(3, 3), 2));
        Assert.Contains("matrix norm of order 2 needs singular values", e.Message);
        Assert.Contains("orders 1, -1, inf, -inf and the Frobenius norm", e.Message);
        Assert.Contains("dims must be different", Assert.Throws<ArgumentException>(() => Norm(Torch.Randn(3, 3), 1, [1L, -1L])).Message);
    }
}
