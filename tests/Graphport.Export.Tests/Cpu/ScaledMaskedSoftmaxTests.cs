using Graphport.Cpu;
using static Graphport.Torch;

namespace Graphport.Tests.Cpu;

/// <summary>
/// Normalization.ScaledMaskedSoftmax: softmax(x / c (or x·c) + mask) over the last dim in one pass gives, to the bit,
/// what the div, add and softmax ops give one after another, for every way a mask broadcasts into the scores.
/// </summary>
public class ScaledMaskedSoftmaxTests
{
    public static TheoryData<string, string?, bool> Cases => new()
    {
        // scores shape | mask shape (null: none) | divide (else multiply)
        { "1 12 16 16", "1 1 1 16", true },
        { "2 4 8 8", "2 1 1 8", true },
        { "2 3 5 7", "2 3 5 7", false },
        { "3 9", "9", true },
        { "2 6 10", "2 6 1", false },
        { "2 3 4 5", "3 1 5", true },
        { "4 33", null, true },
        { "1 2 3 130", "1 1 1 130", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_fused_softmax_equals_the_div_add_and_softmax_ops_to_the_bit(string scoresShape, string? maskShape, bool divide)
    {
        var shape = scoresShape.Split(' ').Select(long.Parse).ToArray();
        ManualSeed((ulong)(scoresShape.GetHashCode() & 0xFFFF));
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var x = (Randn(shape) * 6).To(dtype);
            var mask = maskShape is null ? null : (Randn(maskShape.Split(' ').Select(long.Parse).ToArray()) * 3).To(dtype);
            const double c = 5.656854152679443;
            var scaled = divide ? x / c : x * c;
            var expected = (mask is null ? scaled : scaled + mask).Softmax(-1);

            var step = divide ? PointwiseStep.Divide(c) : PointwiseStep.Multiply(c);
            var actual = Graphport.Operators.NNKernels.ScaledMaskedSoftmax(x, step, mask);

            Assert.Equal(expected.Shape.ToLongs(), actual.Shape.ToLongs());
            if (dtype == DType.Float32) Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());
            else Assert.Equal(expected.ToArray<double>(), actual.ToArray<double>());
        }
    }

    [Fact]
    public void Rows_masked_out_infinite_scores_and_NaN_come_out_as_the_ops_give_them()
    {
        // Row 0: every score masked to -inf (NaN, as torch's softmax gives); row 1: one +inf score (NaN); row 2: a NaN
        // score (NaN); row 3: -inf masking all but the last score, which takes all the weight; row 4: huge scores.
        const int d = 37;
        var rnd = new Random(7);
        var scores = new float[5 * d];
        var masks = new float[5 * d];
        for (int j = 0; j < d; j++)
        {
            for (int r = 0; r < 4; r++) scores[r * d + j] = (float)(rnd.NextDouble() * 8 - 4);
            scores[4 * d + j] = 1e30f * (j % 3 - 1);
            masks[j] = float.NegativeInfinity;
            if (j < d - 1) masks[3 * d + j] = float.NegativeInfinity;
        }
        scores[d + 20] = float.PositiveInfinity;
        scores[2 * d + 33] = float.NaN;
        var x = Tensor.FromArray(scores, 5, d);
        var mask = Tensor.FromArray(masks, 5, d);
        var expected = (x / 8.0 + mask).Softmax(-1).ToArray<float>();
        var actual = Graphport.Operators.NNKernels.ScaledMaskedSoftmax(x, PointwiseStep.Divide(8.0), mask).ToArray<float>();
        Assert.Equal(expected, actual);
        Assert.All(actual.AsSpan(0, 3 * d).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.Equal(1f, actual[4 * d - 1]);
    }

    [Fact]
    public void Without_a_scale_the_mask_alone_is_added_and_a_mask_that_does_not_broadcast_runs_as_the_ops_would()
    {
        ManualSeed(5);
        var x = Randn(2, 3, 8);
        var mask = Randn(3, 1);
        Assert.Equal((x + mask).Softmax(-1).ToArray<float>(), Graphport.Operators.NNKernels.ScaledMaskedSoftmax(x, null, mask).ToArray<float>());

        // A mask with more dims than the scores broadcasts the other way: the result is the ops' (and their shape).
        var wider = Randn(4, 2, 3, 8);
        Assert.Equal((x + wider).Softmax(-1).ToArray<float>(), Graphport.Operators.NNKernels.ScaledMaskedSoftmax(x, null, wider).ToArray<float>());
    }

    [Fact]
    public void Arguments_it_cannot_take_are_named_with_what_is_expected()
    {
        var x = new float[12];
        long[] shape = [3, 4];
        var layout = StridedLayout.Contiguous(shape);
        var clamp = Assert.Throws<ArgumentException>(() => Normalization.ScaledMaskedSoftmax(x, shape, PointwiseStep.Clamp(0, 1), null, layout, new float[12]));
        Assert.Contains("expected a multiply or a divide", clamp.Message);
        var mask = Assert.Throws<ArgumentException>(() => Normalization.ScaledMaskedSoftmax(x, shape, null, new float[4], StridedLayout.Contiguous(1L, 4), new float[12]));
        Assert.Contains("[1, 4]", mask.Message);
        Assert.Contains("[3, 4]", mask.Message);
        var scalar = Assert.Throws<ArgumentException>(() => Normalization.ScaledMaskedSoftmax(new float[1], [], null, null, default, new float[1]));
        Assert.Contains("0-dim", scalar.Message);
    }
}
