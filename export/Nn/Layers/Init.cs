namespace Graphport;

/// <summary>torch.nn.init: fills parameters in place from the default generator (seed with Torch.ManualSeed).</summary>
public static class Init
{
    /// <summary>U(-bound, bound).</summary>
    public static Tensor Uniform(long[] shape, double bound) => Torch.Rand(shape) * (2 * bound) - bound;

    /// <summary>torch's default for Linear/Conv weights: kaiming_uniform with a = sqrt(5), i.e. U(±1/sqrt(fan_in)).</summary>
    public static Tensor KaimingUniformDefault(long[] shape)
    {
        long fanIn = shape.Length > 1 ? shape.Skip(1).Aggregate(1L, (a, b) => a * b) : shape[0];
        return Uniform(shape, fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0);
    }

    /// <summary>Bias init of Linear/Conv: U(±1/sqrt(fan_in)).</summary>
    public static Tensor BiasDefault(long outFeatures, long fanIn) => Uniform([outFeatures], fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0);

    /// <summary>Glorot's U(±sqrt(6 / (fan_in + fan_out))) for a [fan_out, fan_in] weight (torch.nn.init.xavier_uniform_).</summary>
    public static Tensor XavierUniform(long[] shape)
    {
        long receptive = shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        long fanOut = shape[0] * receptive, fanIn = (shape.Length > 1 ? shape[1] : 1) * receptive;
        return Uniform(shape, Math.Sqrt(6.0 / Math.Max(fanIn + fanOut, 1)));
    }
}
