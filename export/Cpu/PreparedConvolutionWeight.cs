namespace Graphport.Cpu;

/// <summary>
/// A convolution's constant weight [O, C, kH, kW] reordered once for one of <see cref="Convolution"/>'s prepared
/// paths (<see cref="PositionMajorWeight{T}"/>, <see cref="WinogradWeight"/>): a frozen module prepares the weights of
/// the convolutions whose traced shapes gain, and a call whose shapes do not suit the path runs the plain one.
/// </summary>
public abstract class PreparedConvolutionWeight
{
    private protected PreparedConvolutionWeight(long[] shape) => Shape = shape;

    /// <summary>The weight's shape, [O, C, kH, kW]: a call whose weight has another shape cannot use it.</summary>
    public long[] Shape { get; }

    internal int OutChannels => (int)Shape[0];

    internal int InChannels => (int)Shape[1];
}
