using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// A constant_pad_nd whose only reader is a convolution (padding with zeros) or a 2-D max pool (padding with −inf),
/// taken into that op's own symmetric padding: what ONNX importers write for asymmetric pads (ResNet's 7×7 stem pads
/// 3 before and 2 after, its stride-2 layers and max pool 1 before and 0 after). A frozen module then runs the op on
/// the unpadded input, without the padded copy. This holds where each padded dim adds at least as much before as
/// after and the op's output is as large with the "before" amount on both sides: the op's last window then ends where
/// it ended, so the extra padding after the input is never read, and every window reads the same zeros (or −infs).
/// A max pool folds only when nothing reads its indices, which would count positions in the padded input.
/// </summary>
internal sealed record PaddingFold(Node Pad, long[] Padding)
{
    private const string ConstantPad = "aten::constant_pad_nd";
    private const string Convolution = "aten::convolution";
    private const string MaxPool = "aten::max_pool2d_with_indices";

    /// <summary>The pad that <paramref name="consumer"/> can take in, and the consumer's padding with it; null if none.</summary>
    public static PaddingFold? Into(Node consumer)
    {
        if (consumer.Kwargs.Count != 0 || consumer.Args.ElementAtOrDefault(0) is not Node { Op.Name: ConstantPad } pad) return null;
        if (pad.Users is not [var only] || !ReferenceEquals(only, consumer) || consumer.Args.Skip(1).Any(a => ReferenceEquals(a, pad))) return null;
        if (pad.Kwargs.Count != 0 || pad.Args.ElementAtOrDefault(0) is not Node { Value: TensorMeta input } || NodeArgs.Longs(pad.Args.ElementAtOrDefault(1)) is not { } pads) return null;
        double fill = pad.Args.Length > 2 ? PointwiseChain.Number(pad.Args[2]) ?? double.NaN : 0;
        return consumer.Op?.Name switch
        {
            Convolution when fill == 0 => IntoConvolution(consumer, pad, input, pads),
            MaxPool when double.IsNegativeInfinity(fill) => IntoMaxPool(consumer, pad, input, pads),
            _ => null,
        };
    }

    /// <summary>Whether every reader of a max_pool2d_with_indices takes only its values (item 0).</summary>
    public static bool OnlyValuesRead(Node pool) =>
        pool.Users.All(u => u.Target is BuiltinTarget b && b == BuiltinTarget.GetItem && PointwiseChain.Number(u.Args.ElementAtOrDefault(1)) == 0);

    // convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups), not transposed.
    private static PaddingFold? IntoConvolution(Node conv, Node pad, TensorMeta input, long[] pads)
    {
        if (conv.Args.Length != 9 || conv.Args[6] is not false || conv.Args[1] is not Node { Value: TensorMeta weight }) return null;
        int rank = weight.Shape.Length - 2;
        if (rank < 1 || NodeArgs.Longs(conv.Args[3]) is not { } stride || NodeArgs.Longs(conv.Args[4]) is not { } padding || NodeArgs.Longs(conv.Args[5]) is not { } dilation) return null;
        if (stride.Length != rank || padding.Length != rank || dilation.Length != rank || weight.Shape.Any(s => s.IsSymbolic)) return null;
        var kernel = weight.Shape[2..].Select(s => s.Hint).ToArray();
        return Folded(pad, input, pads, padding, (d, size, p) => Cpu.Convolution.OutputSize(size, kernel[d], stride[d], p, dilation[d]), maxPadding: null);
    }

    // max_pool2d_with_indices(self, kernel_size, stride=[], padding=0, dilation=1, ceil_mode=False), values only.
    private static PaddingFold? IntoMaxPool(Node pool, Node pad, TensorMeta input, long[] pads)
    {
        if (!OnlyValuesRead(pool) || NodeArgs.Longs(pool.Args.ElementAtOrDefault(1)) is not { Length: 1 or 2 } k) return null;
        long[]? PerDim(int index, long[] otherwise) => pool.Args.Length <= index ? otherwise : NodeArgs.Longs(pool.Args[index]) is { } v ? v.Length switch { 0 => otherwise, 1 => [v[0], v[0]], 2 => v, _ => null } : null;
        var kernel = k.Length == 1 ? [k[0], k[0]] : k;
        if (PerDim(2, kernel) is not { } stride || PerDim(3, [0, 0]) is not { } padding || PerDim(4, [1, 1]) is not { } dilation) return null;
        bool ceil = pool.Args.Length > 5 && pool.Args[5] is true;
        return Folded(pad, input, pads, padding, (d, size, p) => Cpu.Pooling.OutputSize(size, kernel[d], stride[d], p, dilation[d], ceil), maxPadding: [kernel[0] / 2, kernel[1] / 2]);
    }

    // pads lists (before, after) from the last dim backwards, as constant_pad_nd takes them; only the op's spatial
    // dims (the last padding.Length) may be padded.
    private static PaddingFold? Folded(Node pad, TensorMeta input, long[] pads, long[] padding, Func<int, long, long, long> outputSize, long[]? maxPadding)
    {
        int rank = padding.Length;
        if (pads.Length % 2 != 0 || pads.Length > 2 * rank || input.Shape.Length < rank) return null;
        var spatial = input.Shape[^rank..];
        if (spatial.Any(s => s.IsSymbolic)) return null;
        var folded = (long[])padding.Clone();
        for (int d = 0; d < rank; d++)
        {
            int fromLast = rank - 1 - d;
            if (2 * fromLast >= pads.Length) continue;
            long before = pads[2 * fromLast], after = pads[2 * fromLast + 1], size = spatial[d].Hint;
            if (before < 0 || after < 0 || after > before) return null;
            folded[d] = padding[d] + before;
            if (maxPadding is not null && folded[d] > maxPadding[d]) return null;
            if (outputSize(d, size, folded[d]) != outputSize(d, size + before + after, padding[d])) return null;
        }
        return new PaddingFold(pad, folded);
    }
}
