namespace Graphport;

/// <summary>torch.nn.functional's instance_norm, cosine_similarity, pairwise_distance, max_pool1d, channel_shuffle and grid_sample.</summary>
public static partial class Functional
{
    /// <summary>Each (sample, channel) normalized over its spatial dims, then the per-channel affine when given.</summary>
    public static Tensor InstanceNorm(Tensor x, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
        Aten.Call(Aten.InstanceNorm, x, weight, bias, null, null, true, 0.1, eps, false);

    public static Tensor CosineSimilarity(Tensor x1, Tensor x2, long dim = 1, double eps = 1e-8) => Aten.Call(Aten.CosineSimilarity, x1, x2, dim, eps);

    /// <summary>The p-norm distances between every pair of rows of a 2-D tensor, the upper triangle row by row (F.pdist).</summary>
    public static Tensor Pdist(Tensor x, double p = 2) => Aten.Call(Aten.PdistForward, x, p);

    public static Tensor PairwiseDistance(Tensor x1, Tensor x2, double p = 2, double eps = 1e-6, bool keepdim = false) =>
        Aten.Call(Aten.PairwiseDistance, x1, x2, p, eps, keepdim);

    public static Tensor MaxPool1d(Tensor x, long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false) =>
        Aten.Call(Aten.MaxPool1d, x, new[] { kernelSize }, new[] { stride ?? kernelSize }, new[] { padding }, new[] { dilation }, ceilMode);

    /// <summary>The channels regrouped: [n, groups·k, ...] as [n, k·groups, ...] with each group's channels interleaved.</summary>
    public static Tensor ChannelShuffle(Tensor x, long groups) => Aten.Call(Aten.ChannelShuffle, x, groups);

    /// <summary>
    /// x sampled at grid's normalized positions: (x, y) for (N, C, H, W) input, (x, y, z) for a (N, C, D, H, W) volume;
    /// mode "bilinear" (trilinear for volumes), "nearest" or "bicubic" (2-D only), padding "zeros", "border" or "reflection".
    /// </summary>
    public static Tensor GridSample(Tensor x, Tensor grid, string mode = "bilinear", string paddingMode = "zeros", bool alignCorners = false)
    {
        long interpolation = mode switch
        {
            "bilinear" => 0,
            "nearest" => 1,
            "bicubic" => 2,
            _ => throw new ArgumentException($"grid_sample: mode '{mode}' is not one of 'bilinear', 'nearest', 'bicubic'", nameof(mode)),
        };
        long padding = paddingMode switch
        {
            "zeros" => 0,
            "border" => 1,
            "reflection" => 2,
            _ => throw new ArgumentException($"grid_sample: padding mode '{paddingMode}' is not one of 'zeros', 'border', 'reflection'", nameof(paddingMode)),
        };
        return Aten.Call(Aten.GridSampler, x, grid, interpolation, padding, alignCorners);
    }
}
