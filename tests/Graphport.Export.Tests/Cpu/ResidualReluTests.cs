using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

/// <summary>
/// A convolution's epilogue in a frozen module: relu(output + residual), or either step alone, in place, bit for bit
/// what the add and relu ops give (NaN through the ReLU, −0 to +0), over lengths with vector bodies and tails.
/// </summary>
public class ResidualReluTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void The_epilogue_gives_what_the_add_and_relu_ops_give(bool withResidual, bool relu)
    {
        var rng = new Random(withResidual ? 31 : 32);
        foreach (int n in new[] { 1, 7, 16, 33, 100, 70_001 })
        {
            var output = CpuTestData.Floats(rng, n);
            var residual = CpuTestData.Floats(rng, n);
            output[0] = float.NaN;
            if (n > 3) (output[1], output[2], residual[2]) = (-0f, float.NegativeInfinity, 0f);
            var x = Tensor.FromArray((float[])output.Clone(), n);
            var r = Tensor.FromArray(residual, n);
            var expected = withResidual ? x + r : x;
            if (relu) expected = Functional.Relu(expected);

            ResidualRelu.Apply(output, withResidual ? residual : null, relu);

            Assert.Equal(expected.ToArray<float>(), output);
        }
    }

    [Fact]
    public void A_residual_shorter_than_the_output_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ResidualRelu.Apply(new float[8], new float[7], relu: true));
        Assert.Contains("the residual has 7 elements, fewer than the output's 8", e.Message);
    }
}
