using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>Dropout: identity in eval mode; in training, about p of the elements are zeroed and the rest scaled by 1/(1-p).</summary>
public class DropoutTests
{
    [Fact]
    public void In_eval_mode_dropout_is_the_identity()
    {
        var x = Reference.Random(1, [50, 20]);
        var d = new Dropout(0.5);
        d.Eval();
        Assert.Equal(Values(x), Values(d.Call(x)));
        Assert.Equal(Values(x), Values(Functional.Dropout(x, 0.9, training: false)));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.75)]
    public void In_training_about_p_is_zeroed_and_survivors_are_scaled(double p)
    {
        var x = Reference.Random(2, [200, 100], DType.Float32, 1, 2);
        var xv = Values(x);
        var y = Values(new Dropout(p).Call(x));
        int zeros = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (y[i] == 0) { zeros++; continue; }
            Assert.Equal(xv[i] / (1 - p), y[i], 1e-5 * Math.Abs(y[i]));
        }
        double fraction = zeros / (double)y.Length;
        // n = 20000: the standard error of the fraction is at most 0.0035.
        Assert.InRange(fraction, p - 0.02, p + 0.02);
    }

    [Fact]
    public void Two_training_calls_draw_different_masks()
    {
        var x = Torch.Ones(1000);
        var d = new Dropout(0.5);
        Assert.NotEqual(Values(d.Call(x)), Values(d.Call(x)));
    }

    [Fact]
    public void Dropout_with_p_zero_keeps_everything_and_with_p_one_zeroes_everything()
    {
        var x = Reference.Random(3, [30]);
        Assert.Equal(Values(x), Values(Functional.Dropout(x, 0)));
        Assert.All(Values(Functional.Dropout(x, 1)), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Dropout_keeps_double_precision_values()
    {
        var x = Reference.Random(4, [400], DType.Float64, 1, 2);
        var y = Functional.Dropout(x, 0.2);
        Assert.Equal(DType.Float64, y.DType);
        var (xv, yv) = (Values(x), Values(y));
        for (int i = 0; i < yv.Length; i++)
            if (yv[i] != 0) Assert.Equal(xv[i] / 0.8, yv[i], 1e-12);
    }

    [Fact]
    public void A_probability_outside_zero_to_one_is_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5));
        Assert.Contains("dropout probability has to be between 0 and 1, but got 1.5", e.Message);
        var e2 = Assert.ThrowsAny<Exception>(() => Functional.Dropout(Torch.Ones(2), -0.1));
        Assert.Contains("dropout probability has to be between 0 and 1", e2.Message);
    }
}
