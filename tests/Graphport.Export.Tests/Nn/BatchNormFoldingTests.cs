using static Graphport.Torch;
using F = Graphport.Functional;

namespace Graphport.Tests.Nn;

/// <summary>
/// BatchNormFolding: a convolution with an inference batch norm folded into its weight and bias gives the batch norm's
/// output, for plain convolutions (output channels along the weight's dim 0) and transposed ones (along dim 1, per
/// group), on random weights, statistics and inputs.
/// </summary>
public class BatchNormFoldingTests
{
    private static (Tensor Mean, Tensor Var, Tensor Gamma, Tensor Beta) Statistics(long channels) =>
        (Randn(channels), Rand(channels) + 0.5, Randn(channels), Randn(channels));

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape.ToLongs(), actual.Shape.ToLongs());
        double scale = Math.Max(expected.Abs().Max().Item(), 1e-3);
        Assert.True((expected - actual).Abs().Max().Item() <= 1e-5 * scale, $"max difference {(expected - actual).Abs().Max().Item()} at scale {scale}");
    }

    [Fact]
    public void A_folded_convolution_gives_the_batch_norms_output()
    {
        ManualSeed(41);
        var (x, weight, bias) = (Randn(2, 6, 7, 7), Randn(5, 6, 3, 3), Randn(5));
        var (mean, variance, gamma, beta) = Statistics(5);
        var expected = F.BatchNorm(F.Conv2d(x, weight, bias, padding: [1, 1]), mean, variance, gamma, beta, eps: 1e-3);
        var (w, b) = BatchNormFolding.Fold(weight, bias, mean, variance, gamma, beta, 1e-3);
        AssertClose(expected, F.Conv2d(x, w, b, padding: [1, 1]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_folded_transposed_convolution_gives_the_batch_norms_output_for_every_grouping(int groups)
    {
        ManualSeed((ulong)(50 + groups));
        long cin = 6, coutPerGroup = 4, cout = coutPerGroup * groups;
        var x = Randn(2, cin, 5, 4);
        var weight = Randn(cin, coutPerGroup, 2, 3);
        var (mean, variance, gamma, beta) = Statistics(cout);
        var expected = F.BatchNorm(F.ConvTranspose2d(x, weight, null, stride: [2, 1], groups: groups), mean, variance, gamma, beta);
        // No bias of its own: the fold makes one.
        var (w, b) = BatchNormFolding.FoldTransposed(weight, null, mean, variance, gamma, beta, 1e-5, groups);
        AssertClose(expected, F.ConvTranspose2d(x, w, b, stride: [2, 1], groups: groups));
    }

    [Fact]
    public void A_transposed_weight_whose_rows_the_groups_do_not_divide_is_refused_with_the_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchNormFolding.FoldTransposed(Randn(5, 2, 2, 2), null, Zeros(4), Ones(4), null, null, 1e-5, 2));
        Assert.Contains("[5, 2, 2, 2]", e.Message);
        Assert.Contains("2 groups", e.Message);
    }
}
