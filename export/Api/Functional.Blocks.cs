namespace Graphport;

/// <summary>
/// torch.nn.functional's bilinear form, sliding blocks (unfold/fold), affine sampling grids, local response
/// normalization and bags of embeddings.
/// </summary>
public static partial class Functional
{
    /// <summary>y = x1ᵀ A x2 + b per output feature, with weight A (out, in1, in2) over the inputs' last dims.</summary>
    public static Tensor Bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor? bias = null) => Aten.Call(Aten.Bilinear, input1, input2, weight, bias);

    /// <summary>Every (kH, kW) block of (N, C, H, W) or (C, H, W) input as a column: (N, C·kH·kW, L) (im2col).</summary>
    public static Tensor Unfold(Tensor input, long[] kernelSize, long[]? dilation = null, long[]? padding = null, long[]? stride = null) =>
        Aten.Call(Aten.Im2Col, input, Pair(kernelSize), Pair(dilation ?? [1]), Pair(padding ?? [0]), Pair(stride ?? [1]));

    /// <summary>The inverse of Unfold: columns (N, C·kH·kW, L) or (C·kH·kW, L) summed back into (N, C, outputSize) (col2im).</summary>
    public static Tensor Fold(Tensor input, long[] outputSize, long[] kernelSize, long[]? dilation = null, long[]? padding = null, long[]? stride = null)
    {
        if (input.Ndim is not (2 or 3)) throw new ArgumentException($"Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got {input.Ndim}D)");
        return Aten.Call(Aten.Col2Im, input, Pair(outputSize), Pair(kernelSize), Pair(dilation ?? [1]), Pair(padding ?? [0]), Pair(stride ?? [1]));
    }

    /// <summary>
    /// The sampling grid of a batch of affine transforms theta ((N, 2, 3) for size (N, C, H, W), (N, 3, 4) for
    /// (N, C, D, H, W)), in grid_sample's [-1, 1] coordinates.
    /// </summary>
    public static Tensor AffineGrid(Tensor theta, long[] size, bool alignCorners = false)
    {
        if (!theta.DType.IsFloatingPoint()) throw new ArgumentException($"Expected theta to have floating point type, but got {theta.DType.TorchName()}");
        if (size.Length == 4 && (theta.Ndim != 3 || !(theta.Shape[1] == 2) || !(theta.Shape[2] == 3)))
            throw new ArgumentException($"Expected a batch of 2D affine matrices of shape Nx2x3 for size {Graphs.PythonRepr.Tuple(size)}. Got {theta.Shape}.");
        if (size.Length == 5 && (theta.Ndim != 3 || !(theta.Shape[1] == 3) || !(theta.Shape[2] == 4)))
            throw new ArgumentException($"Expected a batch of 3D affine matrices of shape Nx3x4 for size {Graphs.PythonRepr.Tuple(size)}. Got {theta.Shape}.");
        if (size.Length is not (4 or 5))
            throw new ArgumentException($"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size {Graphs.PythonRepr.Tuple(size)}.");
        if (size.Min() <= 0) throw new ArgumentException($"Expected non-zero, positive output size. Got {Graphs.PythonRepr.Tuple(size)}");
        return Aten.Call(Aten.AffineGridGenerator, theta, size, alignCorners);
    }

    /// <summary>
    /// Each value divided by (k + alpha/size · Σ x²)^beta, the sum over the `size` neighbouring channels (AlexNet's
    /// local response normalization), as torch writes it: an average pool of the squares along the channels.
    /// </summary>
    public static Tensor LocalResponseNorm(Tensor input, long size, double alpha = 1e-4, double beta = 0.75, double k = 1.0)
    {
        if (input.Ndim < 3) throw new ArgumentException($"Expected 3D or higher dimensionality input (got {input.Ndim} dimensions)");
        if (input.Numel() == 0) return input;
        var div = input * input;
        if (input.Ndim == 3)
        {
            div = Pad(div.Unsqueeze(1), [0, 0, size / 2, (size - 1) / 2]);
            div = AvgPool2d(div, [size, 1], [1, 1]).Squeeze(1);
        }
        else
        {
            var sizes = input.Shape.AsArray();
            div = div.View(sizes[0], 1, sizes[1], sizes[2], -1);
            div = Pad(div, [0, 0, 0, 0, size / 2, (size - 1) / 2]);
            div = AvgPool3d(div, [size, 1, 1], [1, 1, 1]).Squeeze(1).View(sizes);
        }
        return input / (div * alpha + k).Pow(beta);
    }

    /// <summary>
    /// Sums, means or maxima of bags of embeddings: input (B, N) is B bags of N indices; 1-D input is split into bags
    /// at offsets. perSampleWeights scale each index's row (mode "sum" only).
    /// </summary>
    public static Tensor EmbeddingBag(Tensor input, Tensor weight, Tensor? offsets = null, string mode = "mean", Tensor? perSampleWeights = null,
        bool includeLastOffset = false, long? paddingIdx = null)
    {
        long modeNumber = mode switch
        {
            "sum" => 0,
            "mean" => 1,
            "max" => 2,
            _ => throw new ArgumentException($"mode has to be one of sum, mean or max, got {mode}", nameof(mode)),
        };
        if (perSampleWeights is not null && mode != "sum")
            throw new ArgumentException($"embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='{mode}').");
        if (input.Ndim == 2)
        {
            if (offsets is not null) throw new ArgumentException("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences.");
            offsets = Aten.CallKw(Aten.ArangeStartStep, [0L, input.Numel(), input.Shape[1]], ("dtype", input.DType));
            input = input.Reshape(-1);
            perSampleWeights = perSampleWeights?.Reshape(-1);
        }
        else if (input.Ndim == 1)
        {
            if (offsets is null) throw new ArgumentException("offsets has to be a 1D Tensor but got None");
            if (offsets.Ndim != 1) throw new ArgumentException("offsets has to be a 1D Tensor");
        }
        else
        {
            throw new ArgumentException($"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.Ndim}");
        }
        return Aten.CallMulti(Aten.EmbeddingBagPaddingIdxOp, weight, input, offsets, false, modeNumber, false, perSampleWeights, includeLastOffset, paddingIdx)[0];
    }

    private static long[] Pair(long[] v) => v.Length == 1 ? [v[0], v[0]] : v;
}
