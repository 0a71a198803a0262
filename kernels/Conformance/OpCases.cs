using F = Graphport.Functional;

namespace Graphport.Kernels.Conformance;

/// <summary>
/// The op conformance list: each lowering family of the planner (pointwise chains, broadcasting, reductions,
/// norms, pooling, every convolution kind, gathers, concatenation, matrix products with epilogues, grouped products,
/// row sorts and merges, scatter_add) plus one op the device does not take (a sort of booleans: the host fallback),
/// and programs that write their buffers, called several times.
/// Inputs are random from a fixed seed.
/// </summary>
public static class OpCases
{
    private static Tensor R(params long[] shape) => Torch.Randn(shape);

    // One layer for every export of the case (its weights become the program's constants), in eval mode; made when the
    // class is, before any case is traced (parameters made while tracing would be traced values).
    private static readonly TransformerEncoderLayer EncoderLayer = NewEncoderLayer();

    private static readonly RNN ElmanLayers = new(6, 8, numLayers: 2, nonlinearity: "relu", batchFirst: true, bidirectional: true);
    private static readonly GRUCell StepCell = new(6, 8);

    private static readonly TransformerDecoderLayer DecoderLayer = NewDecoderLayer();

    private static TransformerDecoderLayer NewDecoderLayer()
    {
        var layer = new TransformerDecoderLayer(16, 4, 32, dropout: 0, batchFirst: true, normFirst: true, activation: "gelu");
        layer.Eval();
        return layer;
    }

    private static TransformerEncoderLayer NewEncoderLayer()
    {
        var layer = new TransformerEncoderLayer(16, 4, 32, dropout: 0, batchFirst: true);
        layer.Eval();
        return layer;
    }

    private static Tensor H(DType dtype, params long[] shape) => Torch.Randn(shape).To(dtype);

    private static Tensor I8(params long[] shape) => Torch.Randint(-128, 128, shape).To(DType.Int8);

    // x's rows rounded to halves (ties) with NaN above a bound, sorted ascending and descending: the values (NaN as 100,
    // a number the comparison can take) and the positions side by side.
    private static Tensor SortedBothWays(Tensor a, double nanAbove)
    {
        var x = Torch.Where(a > nanAbove, double.NaN, (a * 2.0).Round() * 0.5);
        var ascending = (Tensor[])Torch.Ops["aten::sort"].Call(x, -1L, false)!;
        var descending = (Tensor[])Torch.Ops["aten::sort"].Call(x, 1L, true)!;
        Tensor Numbered(Tensor v) => Torch.Where(Torch.Ops["aten::isnan"].CallTensor(v), 100.0, v);
        return Torch.Cat([Numbered(ascending[0]), Numbered(descending[0]), ascending[1].To(DType.Float32), descending[1].To(DType.Float32)], 1);
    }

    public static IReadOnlyList<OpCase> All { get; } =
    [
        new("add_broadcast", a => a[0] + a[1], () => [R(4, 8), R(8)]),
        new("pointwise_chain", a => F.Relu(a[0] * 2.0 + 1.0).Sigmoid() - a[0].Tanh(), () => [R(3, 5, 7)]),
        new("gelu_erf_and_tanh", a => F.Gelu(a[0]) + F.Gelu(a[0], "tanh"), () => [R(6, 33)]),
        new("erfc_lgamma_i0", a => (a[0] * 3.0).Erfc() + (a[0].Abs() * 4.0 + 0.1).Lgamma() + a[0].I0() - a[0].IsFinite().To(DType.Float32), () => [R(5, 19)], 1e-4),
        new("where_compare", a => Torch.Where(a[0] > a[1], a[0], a[1] * 3.0), () => [R(4, 9), R(1, 9)]),
        new("hardtanh_leaky_elu", a => F.Hardtanh(a[0], -0.5, 0.5) + F.LeakyRelu(a[0], 0.1) + F.Elu(a[0]), () => [R(5, 6)]),
        new("sum_dim", a => a[0].Sum(1), () => [R(4, 37, 3)]),
        new("mean_keepdim_then_scale", a => a[0].Mean(new long[] { -1, -2 }, keepdim: true) * 2.0 + 1.0, () => [R(2, 3, 5, 6)]),
        new("amax_long_rows", a => a[0].Amax(1), () => [R(3, 3000)]),
        new("softmax", a => F.Softmax(a[0] * 0.5, -1), () => [R(4, 2, 40)]),
        new("log_softmax_dim1", a => F.LogSoftmax(a[0], 1), () => [R(3, 17, 4)]),
        new("layer_norm_affine", a => F.LayerNorm(a[0] + 1.0, [16], a[1], a[2]), () => [R(5, 16), R(16), R(16)], 1e-4),
        new("group_norm", a => F.GroupNorm(a[0], 2, a[1], a[2]), () => [R(2, 4, 3, 3), R(4), R(4)], 1e-4),
        new("batch_norm_eval_relu", a => F.Relu(F.BatchNorm(a[0], a[1], a[2].Abs() + 0.5, training: false)), () => [R(2, 3, 4, 4), R(3), R(3)]),
        new("conv2d_3x3_pad", a => F.Conv2d(a[0], a[1], null, padding: [1, 1]), () => [R(2, 3, 8, 8), R(4, 3, 3, 3)], 1e-3),
        new("conv2d_stride2_bias_relu", a => F.Relu(F.Conv2d(a[0], a[1], a[2], stride: [2, 2], padding: [1, 1])), () => [R(1, 4, 9, 9), R(6, 4, 3, 3), R(6)], 1e-3),
        new("conv2d_1x1", a => F.Conv2d(a[0], a[1]), () => [R(2, 8, 5, 5), R(4, 8, 1, 1)], 1e-3),
        new("conv2d_depthwise", a => F.Conv2d(a[0], a[1], null, padding: [1, 1], groups: 4), () => [R(2, 4, 6, 6), R(4, 1, 3, 3)], 1e-4),
        new("conv_transpose2d", a => F.ConvTranspose2d(a[0], a[1], a[2], stride: [2, 2]), () => [R(1, 4, 5, 5), R(4, 3, 2, 2), R(3)], 1e-4),
        // 1-D convolutions (an STFT as a strided convolution, an audio encoder) run as 2-D ones of unit height.
        new("conv1d_strided_stft", a => F.Conv1d(a[0], a[1], null, stride: 4), () => [R(2, 1, 40), R(18, 1, 16)], 1e-3),
        new("conv1d_pad_bias_relu", a => F.Relu(F.Conv1d(a[0], a[1], a[2], padding: 1)), () => [R(2, 6, 9), R(8, 6, 3), R(8)], 1e-3),
        new("conv1d_depthwise", a => F.Conv1d(a[0], a[1], null, padding: 1, groups: 4), () => [R(2, 4, 10), R(4, 1, 3)], 1e-4),
        new("reflection_pad1d", a => F.Pad(a[0], [3, 2], "reflect") * 2.0, () => [R(2, 3, 7)]),
        new("reflection_pad2d", a => F.Pad(a[0], [1, 2, 2, 1], "reflect"), () => [R(1, 2, 5, 6)]),
        new("replication_pad2d", a => F.Pad(a[0], [2, 1, 1, 3], "replicate"), () => [R(2, 2, 4, 5)]),
        new("flip_two_dims", a => Torch.Ops["aten::flip"].CallTensor(a[0], new long[] { 0, 2 }) - a[0], () => [R(3, 4, 5)]),
        new("max_pool2d", a => F.MaxPool2d(a[0], [3, 3], [2, 2], [1, 1]), () => [R(2, 3, 9, 9)]),
        new("avg_pool2d", a => F.AvgPool2d(a[0], [2, 2]), () => [R(2, 3, 8, 8)]),
        new("adaptive_avg_pool2d", a => F.AdaptiveAvgPool2d(a[0], [3, 3]), () => [R(2, 2, 7, 8)]),
        new("embedding_plus_bias", a => F.Embedding(a[0], a[1]) + a[2], () => [Torch.Randint(0, 10, 3, 5), R(10, 6), R(6)]),
        new("cat_dim1", a => Torch.Cat([a[0], a[1].Relu(), a[0] * 2.0], 1), () => [R(2, 3, 4), R(2, 5, 4)]),
        new("permute_contiguous_slice", a => a[0].Permute(2, 0, 1).Contiguous().Narrow(1, 1, 2) * 3.0, () => [R(4, 5, 6)]),
        new("linear_relu", a => F.Relu(F.Linear(a[0], a[1], a[2])), () => [R(5, 12), R(7, 12), R(7)], 1e-4),
        new("linear_gelu_tanh", a => F.Gelu(F.Linear(a[0], a[1], a[2]), "tanh"), () => [R(5, 12), R(7, 12), R(7)], 1e-4),
        new("bmm_then_softmax", a => F.Softmax(a[0].Matmul(a[1]), -1), () => [R(3, 4, 6), R(3, 6, 5)], 1e-4),
        // Half precision: stored as float16/bfloat16, computed in float32 (the generated kernels widen every load,
        // cuBLASLt accumulates in float32), so they differ from the interpreter by about one rounding of the result.
        new("add_mul_bfloat16", a => a[0] * a[1] + 1.0, () => [H(DType.BFloat16, 4, 33), H(DType.BFloat16, 33)], 1e-2),
        new("softmax_float16", a => F.Softmax(a[0], -1), () => [H(DType.Float16, 6, 50)], 1e-2),
        new("layer_norm_bfloat16", a => F.LayerNorm(a[0], [32], a[1], a[2]), () => [H(DType.BFloat16, 5, 32), H(DType.BFloat16, 32), H(DType.BFloat16, 32)], 2e-2),
        new("linear_relu_float16", a => F.Relu(F.Linear(a[0], a[1], a[2])), () => [H(DType.Float16, 5, 64), H(DType.Float16, 24, 64), H(DType.Float16, 24)], 1e-2),
        new("conv2d_3x3_bfloat16", a => F.Conv2d(a[0], a[1], null, padding: [1, 1]), () => [H(DType.BFloat16, 2, 3, 8, 8), H(DType.BFloat16, 4, 3, 3, 3)], 2e-2),
        // Casts inside a fused chain keep what the narrower type holds: integers wrap as torch's casts do, half precision rounds.
        new("cast_chain_wraps_through_uint8_and_int8", a => (a[0] * 100.0).To(DType.UInt8).To(DType.Float32) + (a[0] * 100.0).To(DType.Int8).To(DType.Float32), () => [R(4, 33)]),
        new("int8_arithmetic_wraps", a => ((a[0] * 3L + 5L) * a[1]).To(DType.Float32), () => [Torch.Randint(-128, 128, 6, 20).To(DType.Int8), Torch.Randint(-128, 128, 20).To(DType.Int8)], 0),
        // Integer semantics the fused kernels compute in int64 and must give as torch does: Python's remainder and floor
        // division of negatives, int32 sums widened to int64, int8 abs(-128) and uint8 negation wrapping.
        new("int_remainder_and_floor_divide_of_negatives", a => (a[0] % a[1]).To(DType.Float32) + a[0].FloorDivide(a[1]).To(DType.Float32), () => [Torch.Randint(-50, 50, 4, 9), Torch.Randint(1, 7, 9) * (Torch.Randint(0, 2, 9) * 2L - 1L)], 0),
        new("float_remainder_and_fmod", a => a[0] % a[1] + Torch.Ops["aten::fmod.Tensor"].CallTensor(a[0], a[1]), () => [R(4, 9) * 5.0, R(9)], 1e-5),
        new("int32_sum_and_mean", a => a[0].Sum(1).To(DType.Float32) + a[0].To(DType.Float32).Mean(new long[] { 1 }, keepdim: false), () => [Torch.Randint(-100000, 100000, 3, 50).To(DType.Int32)], 1e-6),
        new("int8_abs_and_neg_wrap", a => a[0].Abs().To(DType.Float32) + a[0].Neg().To(DType.Float32) + a[1].Neg().To(DType.Float32), () => [Torch.Randint(-128, 128, 5, 7).To(DType.Int8), Torch.Randint(0, 256, 5, 7).To(DType.UInt8)], 0),
        new("int_true_division", a => a[0] / a[1] + (a[0] / 3L), () => [Torch.Randint(-50, 50, 4, 9), Torch.Randint(1, 7, 9)], 1e-6),
        new("int_compared_with_a_float", a => Torch.Where(a[0] > 2.5, a[1], a[1] * 2L).To(DType.Float32), () => [Torch.Randint(0, 6, 4, 9), Torch.Randint(-9, 9, 4, 9)], 0),
        new("uint8_sum_widens_to_int64", a => a[0].Sum(1).To(DType.Float32), () => [Torch.Randint(0, 256, 3, 40).To(DType.UInt8)], 0),
        new("argmax_of_ints", a => a[0].Argmax(1).To(DType.Float32), () => [Torch.Randint(-5, 5, 4, 17)], 0),
        // Arg reductions keep the first index among equals and put NaN first: log of a negative is NaN, so the flat
        // argmax is the first negative element; a long row's argmin takes a block per row.
        new("argmax_flat_first_nan_keepdim", a => a[0].Log().Argmax(null, keepdim: true).To(DType.Float32), () => [R(5, 40)], 0),
        new("argmin_long_rows", a => (a[0] * 2.0).Argmin(1).To(DType.Float32) + 1.0, () => [R(3, 3000)], 0),
        new("cast_chain_rounds_through_float16", a => (a[0] * 3.0 + 1.0).To(DType.Float16).To(DType.Float32) * 7.0, () => [R(5, 17)], 0),
        // Integer products (a quantized model's): int8 operands with int32 sums, a float prologue that quantizes the
        // activations, and int32 products whose sums overflow and wrap. Sizes leave part-full 64 x 64 tiles.
        new("int_mm_scaled", a => Torch.Ops["aten::_int_mm"].CallTensor(a[0], a[1]).To(DType.Float32) * 0.01 + a[2], () => [I8(33, 40), I8(40, 72), R(72)], 1e-5),
        new("int_mm_of_quantized_activations", a => Torch.Ops["aten::_int_mm"].CallTensor((a[0] / 0.05).Round().Clamp(-128L, 127L).To(DType.Int8), a[1]).To(DType.Float32) * 0.05,
            () => [R(20, 24), I8(24, 16)], 1e-6),
        // A mixture of experts' grouped products: 70 sorted tokens over 4 experts (one with none, the last four tokens in
        // none), so a 64-row tile spans three groups and the second tile holds rows past the last end (zero); the
        // tokens scaled on the way in (a prologue), the product gated after. In bfloat16 through torch's _grouped_mm.
        new("grouped_mm_experts", a => F.Silu((Tensor)Torch.Ops["transformers::grouped_mm_fallback"].Call(a[0] * 2.0, a[1], a[2])!) * 0.5,
            () => [R(70, 24), R(4, 24, 40), Tensor.FromArray(new[] { 10, 10, 45, 66 }, 4)], 1e-4),
        new("grouped_mm_bf16", a => Torch.GroupedMm(a[0], a[1], a[2]) + 1.0,
            () => [H(DType.BFloat16, 33, 16), H(DType.BFloat16, 3, 16, 24), Tensor.FromArray(new[] { 5, 20, 33 }, 3)], 2e-2),
        // The same written as a loop over the experts (Granite-MoE): counts read from the data, a split by them, one linear
        // per expert, a cat; the device runs it as one grouped product that checks the counts (graphport::split_mm_cat).
        new("expert_loop_split_by_counts", a =>
        {
            var sizes = Enumerable.Range(0, 4).Select(e => a[2][e].Item<SymInt>()).ToArray();
            foreach (var size in sizes) Torch.CheckIsSize(size);
            Torch.Check(sizes[0] + sizes[1] + sizes[2] + sizes[3] == a[0].Size(0));
            var runs = (Tensor[])Torch.Ops["aten::split_with_sizes"].Call(a[0], sizes, 0L)!;
            return F.Silu(Torch.Cat(runs.Select((run, e) => F.Linear(run, a[1][e]))));
        }, () => [R(70, 24), R(4, 40, 24), Tensor.FromArray(new long[] { 10, 0, 35, 25 }, 4)], 1e-4),
        new("bmm_int32_wraps", a => a[0].Matmul(a[1]), () => [Torch.Randint(-100000, 100000, 2, 5, 37).To(DType.Int32), Torch.Randint(-100000, 100000, 2, 37, 9).To(DType.Int32)], 0),
        // Writes into slices (what an in-place x[:, 1:7:2] = y becomes, as Swin's attention mask is built): index math.
        new("slice_and_select_scatter", a => Torch.Ops["aten::select_scatter"].CallTensor(Torch.Ops["aten::slice_scatter"].CallTensor(a[0], a[1], 1L, 1L, 7L, 2L), a[2], 0L, -1L) * 2.0,
            () => [R(3, 8), R(3, 3), R(8)], 0),
        // Bilinear resizing (a segmentation head back to the input size): the CPU kernel's taps as weight tables.
        new("upsample_bilinear_size_and_scale", a => F.Interpolate(a[0], size: [7, 11], mode: "bilinear") + F.Interpolate(a[0], size: [7, 11], mode: "bilinear", alignCorners: true)
            + F.Interpolate(F.Interpolate(a[0], scaleFactor: [2.0, 2.0], mode: "bilinear"), size: [7, 11], mode: "nearest"), () => [R(2, 3, 4, 5)], 1e-5),
        // Advanced indexing (x[:, i, j], x[i, :, j]) and gathers read their indices from memory: negative indices count
        // from the end, index tensors broadcast, and non-adjacent ones put their dims first.
        new("index_tensor_adjacent_negative_broadcast", a => Torch.Ops["aten::index.Tensor"].CallTensor(a[0], new Tensor?[] { null, a[1], a[2] }) * 2.0,
            () => [R(3, 5, 4), Torch.Randint(-5, 5, 2, 1), Torch.Randint(-4, 4, 3)], 0),
        new("index_tensor_apart", a => Torch.Ops["aten::index.Tensor"].CallTensor(a[0], new Tensor?[] { a[1], null, a[2] }) + 1.0,
            () => [R(4, 3, 5), Torch.Randint(-4, 4, 2), Torch.Randint(-5, 5, 2)], 0),
        // Writes at indices (a static key/value cache's: positions 5 and -2 of dim 2): a copy, then a scatter.
        new("index_put_at_positions", a => Torch.Ops["aten::index_put"].CallTensor(a[0], new Tensor?[] { null, null, Tensor.FromArray(new long[] { 5, -2 }, 2) }, a[1]) * 2.0,
            () => [R(2, 3, 8, 4), R(2, 3, 2, 4)], 0),
        new("index_copy_broadcast_rows", a => Torch.Ops["aten::index_copy"].CallTensor(a[0], 0L, Tensor.FromArray(new long[] { 3, 0 }, 2), a[1]) + 1.0,
            () => [R(5, 6), R(2, 6)], 0),
        new("gather_dim1", a => a[0].Gather(1, a[1]) * 3.0, () => [R(3, 5, 4), Torch.Randint(0, 5, 3, 2, 4)], 0),
        // Attention with a boolean mask whose first query sees no key: that row's weights are zero (torch's
        // _safe_softmax), folded into the softmax kernel rather than computed by a guard beside it.
        new("attention_with_a_query_that_sees_no_key",
            a => F.ScaledDotProductAttention(a[0], a[1], a[1] * 2.0, (a[2] * Tensor.FromArray(new float[] { 0, 1, 1, 1 }, 1, 1, 4, 1)) > 0.5),
            () => [R(2, 2, 4, 8), R(2, 2, 6, 8), Torch.Randint(0, 2, 2, 1, 4, 6).To(DType.Float32)], 1e-5),
        // Running sums: a float row longer than a warp's 32, and RoBERTa's position ids (a padding mask's running count,
        // int64, the padding kept at the pad index).
        new("cumsum_float_rows", a => Torch.Ops["aten::cumsum"].CallTensor(a[0] * 2.0, 1L) + 1.0, () => [R(3, 70)], 1e-4),
        new("cumsum_position_ids", a =>
        {
            var mask = (a[0] != 1L).To(DType.Int32);
            return (Torch.Ops["aten::cumsum"].CallTensor(mask, 1L).To(DType.Int32) * mask).To(DType.Int64) + 1L;
        }, () => [Torch.Randint(0, 4, 3, 45)], 0),
        // Rows sorted on the device (a mixture of experts' routing: each token's top experts, the tokens by expert): ties
        // (values rounded to halves) by position, NaN above everything, rows that are not a power of two long.
        new("sort_rows_ties_and_nan", a => SortedBothWays(a[0], nanAbove: 1.5), () => [R(5, 37)], 0),
        new("topk_rows_and_sorted_ids", a =>
        {
            var top = (Tensor[])Torch.Ops["aten::topk"].Call(F.Softmax(a[0], -1), 2L)!;
            var bottom = (Tensor[])Torch.Ops["aten::topk"].Call(a[0], 3L, -1L, false)!;
            var ids = (Tensor[])Torch.Ops["aten::sort"].Call(top[1].Reshape(-1))!;
            return Torch.Cat([top[0] * 10.0, bottom[0], bottom[1].To(DType.Float32)], 1).Sum() + ids[0].To(DType.Float32) + ids[1].To(DType.Float32) * 0.01;
        }, () => [R(22, 8)], 1e-5),
        // Writes into positions an index tensor gives; sums where threads meet at an element add atomically: a
        // histogram's counts (histc's decomposition, a mixture of experts' tokens per expert), rows scattered along dim
        // 1, integer sums exactly, index_put with accumulate (x[i] += v with repeated i), and plain scatters.
        new("scatters_and_accumulating_index_put", a =>
        {
            var ids = (a[1].Abs() * 2.0).To(DType.Int64).Clamp(0L, 4L);
            var counts = Torch.Ops["aten::scatter_add"].CallTensor(Torch.Zeros(5), 0L, ids, Torch.OnesLike(a[0].Select(1, 0)));
            var rows = Torch.Ops["aten::scatter_add"].CallTensor(a[2], 1L, ids.Reshape(4, 11).Narrow(1, 0, 6), a[0].Reshape(4, 11).Narrow(1, 0, 6));
            var exact = Torch.Ops["aten::scatter_add"].CallTensor(Torch.Zeros([5], DType.Int64), 0L, ids, ids * 3L);
            var accumulated = Torch.Ops["aten::index_put"].CallTensor(a[2], new Tensor?[] { ids.Narrow(0, 0, 4) }, a[2].Narrow(0, 1, 4) * 0.5, true);
            // Plain scatters to distinct positions (a permutation of each row, as argsort gives; DeepSeek marks its chosen
            // groups with scatter.value).
            var order = Torch.Ops["aten::argsort"].CallTensor(a[2], 1L, false);
            var placed = Torch.Ops["aten::scatter.src"].CallTensor(Torch.Zeros(5, 9), 1L, order, a[2] * 2.0);
            var marked = Torch.Ops["aten::scatter.value"].CallTensor(Torch.Zeros(5, 9), 1L, order.Narrow(1, 0, 3), 1.0);
            return Torch.Cat([counts, rows.Reshape(-1), exact.To(DType.Float32), accumulated.Reshape(-1), placed.Reshape(-1), marked.Reshape(-1)], 0);
        }, () => [R(44, 1), R(44), R(5, 9)], 1e-5),
        // max and min along a dim with their indices (GPT-OSS's attention): ties (values rounded to halves) give the first.
        new("max_min_dim_with_indices", a =>
        {
            var x = (a[0] * 2.0).Round() * 0.5;
            var max = (Tensor[])Torch.Ops["aten::max.dim"].Call(x, -1L, true)!;
            var min = (Tensor[])Torch.Ops["aten::min.dim"].Call(x, 0L)!;
            return Torch.Cat([max[0].Reshape(-1), max[1].Reshape(-1).To(DType.Float32), min[0], min[1].To(DType.Float32)], 0);
        }, () => [R(6, 13)], 0),
        // Rows longer than a block sorts (sorted chunks of 1024, then merge passes; 2600 is three chunks, the third
        // merged alone at first), with ties across chunks (values rounded to halves) and NaN.
        new("sort_long_rows_ties_and_nan", a => SortedBothWays(a[0], nanAbove: 2.0), () => [R(3, 2600)], 0),
        // A sampler's top 50 of a vocabulary (merge passes keep 50 of each run), and sorts along a dim that is not the
        // last (a row's elements apart in memory): topk of rows of 1100 along dim 1 of three, a sort along dim 1.
        new("topk_of_a_vocabulary_and_other_dims", a =>
        {
            var top = (Tensor[])Torch.Ops["aten::topk"].Call(a[0], 50L)!;
            var across = (Tensor[])Torch.Ops["aten::topk"].Call(a[1], 5L, 1L, false)!;
            var sorted = (Tensor[])Torch.Ops["aten::sort"].Call(a[2].Round(), 1L, true)!;
            return Torch.Cat([top[0].Reshape(-1) * 10.0, top[1].Reshape(-1).To(DType.Float32), across[0].Reshape(-1), across[1].Reshape(-1).To(DType.Float32),
                sorted[0].Reshape(-1), sorted[1].Reshape(-1).To(DType.Float32)], 0);
        }, () => [R(2, 5000), R(3, 1100, 2), R(4, 6, 5)], 0),
        // An RMS norm as transformers writes it (Llama's: x * rsqrt(mean(x^2) + eps), then weight * that): one row kernel.
        new("rms_norm_transformers_style", a => a[1] * (a[0] * (a[0].Pow(2.0).Mean([-1L], keepdim: true) + 1e-6).Rsqrt()), () => [R(4, 7, 48), R(48)], 1e-5),
        // A rotary embedding's angles: frequencies [1, 8, 1] times positions [1, 1, 12], a product over k = 1 (an outer
        // product, a multiply per element the cos and sin take inline), and an mm over k = 1 as well.
        new("rotary_outer_product", a =>
        {
            var angles = Torch.Ops["aten::bmm"].CallTensor(a[0].Reshape(1, 8, 1), a[1].Reshape(1, 1, 12)).Transpose(1, 2);
            var outer = Torch.Ops["aten::mm"].CallTensor(a[0].Reshape(8, 1), a[1].Reshape(1, 12));
            return Torch.Cat([angles.Cos(), angles.Sin()], -1).Reshape(-1) + outer.Reshape(-1).Sum();
        }, () => [R(8), Torch.Arange(12).To(DType.Float32)], 1e-5),
        // x[idx] read and written through the C# indexer (index.Tensor and index_put, negative positions), and a mask's
        // write (index_put with a boolean mask).
        new("advanced_index_read_and_write", a =>
        {
            var rows = Torch.Tensor(new long[] { 4, 0, -1 });
            var y = a[0].Clone();
            y[rows, 1..] = a[0][rows, ..4] * 2.0;
            y[a[0] < -1.0] = 0.0;
            return y[.., (rows + 1L) % 5L] + 1.0;
        }, () => [R(6, 5)]),
        // cond and map have no device lowering: each runs on the host as one step, the device work around them stays.
        new("cond_and_map_on_the_host", a =>
        {
            var h = a[0].Matmul(a[1]).Tanh();
            var y = Torch.Cond(h.Sum() > 0, b => b[0].Sin() * 2.0, b => b[0].Cos() - b[1].Mean(), [h, a[0]]);
            return Torch.Map((row, extra) => row * row.Sum() + extra[0], y, a[1].Sum()).Relu();
        }, () => [R(4, 3), R(3, 3)], 1e-5),
        // nn.TransformerEncoderLayer (self-attention through the packed projection, a padding-free causal mask,
        // post-norm, ReLU feed-forward) with its weights as constants.
        new("transformer_encoder_layer", a => EncoderLayer.Forward(a[0], Torch.Ones(5, 5).Triu(1).Bool()), () => [R(2, 5, 16)], 1e-4),
        // nn.TransformerDecoderLayer (pre-norm, GELU): causal self-attention over the target, then attention to a memory
        // of another length (separate projections of the packed weight), then the feed-forward block.
        new("transformer_decoder_layer", a => DecoderLayer.Forward(a[0], a[1], Transformer.GenerateSquareSubsequentMask(5)), () => [R(2, 5, 16), R(2, 7, 16)], 1e-4),
        // nn.RNN (two bidirectional relu layers, unrolled over its 4 steps) and a GRU cell stepped by hand, as a decoder loop does.
        new("rnn_relu_bidirectional", a => ElmanLayers.Call(a[0]).Output, () => [R(3, 4, 6)], 1e-4),
        new("gru_cell_steps", a => StepCell.Forward(a[0][.., 1], StepCell.Call(a[0][.., 0])), () => [R(3, 2, 6)], 1e-4),
        // A 3-D U-Net's pieces (volumes): pooled down, resized back up trilinearly and by nearest neighbours, padded by replication.
        new("volume_pool_and_resize", a => F.Interpolate(F.MaxPool3d(a[0], [2, 2, 2]), scaleFactor: [2.0], mode: "trilinear") + F.Interpolate(F.AvgPool3d(a[0], [2, 2, 2]), [4, 6, 8])
            + F.Pad(a[0], [1, 1, 0, 0, 0, 0], "replicate")[.., .., .., .., 1..^1], () => [R(2, 3, 4, 6, 8)], 1e-5),
        // A volume sampled at an affine grid (a 3-D spatial transformer): grid_sampler_3d decomposed to gathers of the
        // eight voxels around each point, reflected at the edges.
        new("grid_sample_volume", a => F.GridSample(a[0], F.AffineGrid(a[1] * 0.3 + Tensor.FromArray(new float[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 }, 3, 4), [2, 3, 3, 4, 5]) * 1.2, paddingMode: "reflection"),
            () => [R(2, 3, 4, 5, 6), R(2, 3, 4)], 1e-5),
        // An image warped by a sampling grid (a spatial transformer, an optical flow warp): grid_sampler_2d bilinear and
        // nearest become gathers of the pixels around each point on the device.
        new("grid_sample_image", a => F.GridSample(a[0], a[1] * 1.2, alignCorners: true) + F.GridSample(a[0], a[1], "nearest", "border"),
            () => [R(2, 3, 5, 7), R(2, 4, 6, 2)], 1e-5),
        // A segmentation decoder's unpooling (SegNet): max pools' indices scatter the values back, in 1-D, 2-D with
        // overlapping windows and 3-D; max_unpool decomposes to index_put into zeros.
        // A masked corner of -inf: a window whose real taps are all -inf gets, as in ATen, its first real element as
        // the index, never a padding tap.
        new("max_pool_indices_of_minus_inf_windows", a =>
        {
            var corner = (Torch.Arange(6).View(6, 1) < 3L).LogicalAnd(Torch.Arange(8) < 4L);
            var x = Torch.Where(corner, double.NegativeInfinity, a[0]);
            var (values, indices) = F.MaxPool2dWithIndices(x, [3, 3], [2, 2], [1, 1]);
            var (dilatedValues, dilated) = F.MaxPool2dWithIndices(x, [2, 2], [1, 2], [1, 1], [2, 1]);
            return indices.To(DType.Float32).Sum(1) + dilated.To(DType.Float32).Sum(1)[.., ..3, ..4] + values.IsInf().To(DType.Float32).Sum(1) + dilatedValues.Sum(1)[.., ..3, ..4].IsInf().To(DType.Float32);
        }, () => [R(2, 3, 6, 8)], 0),
        new("pool_unpool_indices", a =>
        {
            var (values, indices) = F.MaxPool2dWithIndices(a[0], [3, 3], [2, 2], [1, 1]);
            var (volume, where) = F.MaxPool3dWithIndices(a[1], [2, 2, 2]);
            var (row, at) = F.MaxPool1dWithIndices(a[0].Flatten(2), 4);
            return F.MaxUnpool2d(values * 2.0, indices, [3, 3], [2, 2], [1, 1], [6, 8]).Sum(1)
                + F.MaxUnpool3d(volume, where, [2, 2, 2]).Sum([1L, 2L]) + F.MaxUnpool1d(row, at, 4).Sum(1).View(2, 6, 8);
        }, () => [R(2, 3, 6, 8), R(2, 2, 4, 6, 8)], 1e-5),
        // Adaptive max pools that do not divide evenly (gathers of padded windows with max), their indices, LP pools (average
        // pools of powers, 1-D too) and a 1-D adaptive average pool.
        new("adaptive_max_and_lp_pools", a =>
        {
            var (volume, where) = F.AdaptiveMaxPool3d(a[0], [3, 2, 5]);
            var (row, at) = F.AdaptiveMaxPool1d(a[0].Flatten(2), 7);
            return Torch.Cat([volume.Flatten(), where.To(DType.Float32).Flatten() * 0.01, row.Flatten(), at.To(DType.Float32).Flatten() * 0.01,
                F.LpPool2d(a[0].Flatten(1, 2), 2, [3, 2], [2, 2], ceilMode: true).Flatten(), F.LpPool1d(a[0].Flatten(2).Abs(), 1.5, 4).Flatten(), F.AdaptiveAvgPool1d(a[0].Flatten(2), 6).Flatten()]);
        }, () => [R(2, 2, 5, 4, 7)], 1e-4),
        // Fractional max pooling from given samples: window starts computed per (sample, channel), windows gathered and
        // reduced with max.dim, their flat indices gathered alongside (a gather indexed by max.dim's argmax, which must
        // not fold into the argmax kernel's epilogue as if it read the argmax element for element).
        new("fractional_max_pool", a =>
        {
            var (values, indices) = F.FractionalMaxPool2d(a[0], [3, 2], [6, 7], randomSamples: a[1].Sigmoid());
            return values + indices.To(DType.Float32) * 0.001;
        }, () => [R(2, 3, 13, 11), R(2, 3, 2)], 1e-5),
        // Region-of-interest pooling (torchvision::roi_align, no device lowering) runs on the host between device steps.
        new("roi_align_on_the_host", a =>
        {
            var corners = a[1].Abs() * 4.0;
            var regions = Torch.Cat([Tensor.FromArray(new float[] { 0, 1, 1, 0, 1 }, 5, 1), corners, corners + a[2].Abs() * 3.0 + 1.0], 1);
            return Torchvision.RoiAlign(a[0].Relu(), regions, 2, 3, samplingRatio: 2, aligned: true) * 2.0;
        }, () => [R(2, 3, 8, 7), R(5, 2), R(5, 2)], 1e-5),
        // The multi-class margin losses (one target class, several listed ones) and a triplet loss over a cosine distance.
        new("margin_losses", a => Torch.Stack([
            F.MultiMarginLoss(a[0], a[1]), F.MultiMarginLoss(a[0], a[1], p: 2, margin: 0.5, weight: a[0][0].Sigmoid() + 0.5, reduction: "sum"),
            F.MultilabelMarginLoss(a[0], a[2]), F.MultilabelMarginLoss(a[0], a[2], "none").Sum(),
            F.TripletMarginWithDistanceLoss(a[0], a[0].Flip(0), a[0] * 0.5, (x, y) => 1.0 - F.CosineSimilarity(x, y), swap: true)]),
            () => [R(4, 6), Tensor.FromArray(new long[] { 5, 0, 2, 2 }, 4), Tensor.FromArray(new long[] { 1, 3, -1, 0, 0, 0, 5, -1, 2, 2, 2, 2, -1, 1, 1, 1, 1, 1, 0, 1, 2, 3, 4, 5 }, 4, 6)],
            1e-5),
        // An op the device does not take (a sort of booleans: the device sorts numbers) runs on the host between its steps.
        // Losses (a training or evaluation step's tail): cross entropy against class indices with an ignored target,
        // class weights and label smoothing, per sample and per pixel; and the regression losses. Each a gather of the
        // target class or a pointwise chain, then sums: no host step.
        new("cross_entropy_losses", a => Torch.Cat([
            F.CrossEntropy(a[0], a[1]).Unsqueeze(0), F.CrossEntropy(a[0], a[1], a[2], labelSmoothing: 0.2).Unsqueeze(0),
            F.CrossEntropy(a[0], a[1], reduction: "none"), F.NllLoss(F.LogSoftmax(a[0], 1), a[1], a[2], reduction: "sum").Unsqueeze(0),
            F.CrossEntropy(a[0].View(2, 3, 10).Permute(0, 2, 1), a[1].View(2, 3).Clamp(0L, 9L), reduction: "none").Flatten(),
            F.CrossEntropy(a[0], F.Softmax(a[0] * 0.5, 1), a[2]).Unsqueeze(0)]),
            () => [R(6, 10), Tensor.FromArray(new long[] { 3, -100, 0, 9, 4, 4 }, 6), Torch.Rand(10) + 0.5], 1e-4),
        new("regression_losses", a => Torch.Stack([
            F.MseLoss(a[0], a[1]), F.L1Loss(a[0], a[1], "sum"), F.SmoothL1Loss(a[0], a[1], beta: 0.5), F.HuberLoss(a[0], a[1], delta: 0.7),
            F.BinaryCrossEntropyWithLogits(a[0], a[2], posWeight: a[2][0] + 0.5), F.BinaryCrossEntropy(a[2] * 0.98 + 0.01, a[2].Round()),
            F.KlDiv(F.LogSoftmax(a[0], -1), F.Softmax(a[1], -1), "batchmean"), F.CosineEmbeddingLoss(a[0], a[1], (a[2][.., 0] > 0.5).To(DType.Float32) * 2.0 - 1.0)]),
            () => [R(5, 12), R(5, 12), Torch.Rand(5, 12)], 1e-4),
        new("host_fallback_sort", a => ((Tensor[])Torch.Ops["aten::sort"].Call(a[0] > 0.0, 1L)!)[1].To(DType.Float32) + a[0], () => [R(3, 40)]),
        // Programs that write a buffer, called three times: each call must read what the last one wrote.
        OpCase.Stateful("buffer_running_sum_three_calls", () => new StatefulModules.RunningSum(4, 33), () => [R(4, 33)], calls: 3),
        // Read and advanced from itself alone: computed from weights only, yet not a constant to fold at planning.
        OpCase.Stateful("step_counter_advanced_from_itself_three_calls", () => new StatefulModules.StepCounter(3), () => [R(3)], calls: 3),
        OpCase.Stateful("kv_cache_written_at_positions_three_calls", () => new StatefulModules.PositionCache(2, 8, 5),
            // Two neighbouring positions: distinct, so which duplicate write wins never matters.
            () => [R(2, 2, 5), Torch.Randint(0, 4, 1) * 2L + Tensor.FromArray(new long[] { 0, 1 }, 2)], calls: 3, tolerance: 0),
    ];

    public static OpCase Get(string name) => All.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"No op case named {name}.");
}
