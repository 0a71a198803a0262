namespace Graphport;

/// <summary>The channel and group counts every convolution layer checks as it is built, with torch's messages.</summary>
internal static class ConvolutionGroups
{
    public static void Check(long inChannels, long outChannels, long groups)
    {
        if (groups <= 0) throw new ArgumentOutOfRangeException(nameof(groups), $"groups must be a positive integer, got {groups}.");
        if (inChannels % groups != 0) throw new ArgumentException($"in_channels ({inChannels}) must be divisible by groups ({groups}).", nameof(inChannels));
        if (outChannels % groups != 0) throw new ArgumentException($"out_channels ({outChannels}) must be divisible by groups ({groups}).", nameof(outChannels));
    }
}
