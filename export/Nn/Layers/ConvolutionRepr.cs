using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// What a convolution layer prints after its name, as torch's _ConvNd.extra_repr writes it: channels, kernel size and
/// stride always; padding, dilation and output padding where they differ from 0, 1 and 0; groups other than 1; a
/// missing bias. Sizes print as Python tuples, (3,) for one dim.
/// </summary>
internal static class ConvolutionRepr
{
    public static string Describe(long inChannels, long outChannels, long[] kernelSize, long[] stride, long[] padding, long[] dilation, long groups, bool hasBias,
        long[]? outputPadding = null) =>
        $"{inChannels}, {outChannels}, kernel_size={PythonRepr.Tuple(kernelSize)}, stride={PythonRepr.Tuple(stride)}"
        + (padding.Any(p => p != 0) ? $", padding={PythonRepr.Tuple(padding)}" : "")
        + (dilation.Any(d => d != 1) ? $", dilation={PythonRepr.Tuple(dilation)}" : "")
        + (outputPadding is not null && outputPadding.Any(p => p != 0) ? $", output_padding={PythonRepr.Tuple(outputPadding)}" : "")
        + (groups != 1 ? $", groups={groups}" : "")
        + (hasBias ? "" : ", bias=False");

    /// <summary>One size repeated for each of <paramref name="dims"/> dims (a layer built with a single number).</summary>
    public static long[] Repeat(long value, int dims) => Enumerable.Repeat(value, dims).ToArray();
}
