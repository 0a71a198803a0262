using Graphport.Operators;

namespace Graphport;

/// <summary>Neural-network ops: convolution, normalization, pooling, softmax, embedding, padding, upsampling, concatenation.</summary>
internal static partial class Aten
{
    internal static SymInt ConvOutputSize(SymInt input, long kernel, long stride, long padding, long dilation) =>
        (input + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;

    public static readonly OpOverload Convolution = Def("convolution(Tensor input, Tensor weight, Tensor? bias, SymInt[] stride, SymInt[] padding, SymInt[] dilation, bool transposed, SymInt[] output_padding, SymInt groups) -> Tensor", meta: a =>
    {
        Tensor input = T0(a), weight = Tn(a, 1);
        var bias = a[2] as Tensor;
        long[] stride = Ls(a[3]), padding = Ls(a[4]), dilation = Ls(a[5]), outputPadding = Ls(a[7]);
        bool transposed = B(a[6]);
        long groups = L(a[8]);
        int spatial = weight.Ndim - 2;
        if (spatial < 1) throw new ArgumentException($"convolution: weight must have at least 3 dimensions, got {weight.Ndim}");
        if (input.Ndim != weight.Ndim)
            throw new ArgumentException($"Expected {weight.Ndim}-dimensional input for {weight.Ndim}-dimensional weight [{string.Join(", ", weight.Shape)}], but got {input.Ndim}-dimensional input of size [{string.Join(", ", input.Shape)}] instead");
        long Pick(long[] v, int i) => v.Length == 1 ? v[0] : v[i];
        if (groups <= 0) throw new ArgumentException($"non-positive groups is not supported (got {groups})");
        for (int i = 0; i < spatial; i++)
        {
            if (Pick(stride, i) <= 0) throw new ArgumentException($"non-positive stride is not supported (got {string.Join(", ", stride)})");
            if (Pick(padding, i) < 0) throw new ArgumentException($"negative padding is not supported (got {string.Join(", ", padding)})");
            if (Pick(dilation, i) <= 0) throw new ArgumentException($"dilation should be greater than zero (got {string.Join(", ", dilation)})");
        }
        if (input.DType != weight.DType)
            throw new ArgumentException($"Input type ({DTypeNames.Capitalized(input.DType)}) and weight type ({DTypeNames.Capitalized(weight.DType)}) should be the same");
        SymInt channels = input.Shape[1];
        var shape = new SymInt[input.Ndim];
        shape[0] = input.Shape[0];
        if (!transposed)
        {
            if (!(channels == weight.Shape[1] * groups))
                throw new ArgumentException($"Given groups={groups}, weight of size [{string.Join(", ", weight.Shape)}], expected input[{string.Join(", ", input.Shape.Select(s => s.Hint))}] to have {(weight.Shape[1] * groups).Hint} channels, but got {channels.Hint} channels instead");
            if (!(weight.Shape[0] % groups == 0))
                throw new ArgumentException($"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of size [{string.Join(", ", weight.Shape)}] instead");
            shape[1] = weight.Shape[0];
            for (int i = 0; i < spatial; i++)
            {
                long k = (long)weight.Shape[2 + i];
                var o = ConvOutputSize(input.Shape[2 + i], k, Pick(stride, i), Pick(padding, i), Pick(dilation, i));
                if (o < 1)
                    throw new ArgumentException($"Calculated padded input size per channel: ({string.Join(" x ", input.Shape.Skip(2).Select((s, j) => s.Hint + 2 * Pick(padding, j)))}). Kernel size: ({string.Join(" x ", weight.Shape.Skip(2))}). Kernel size can't be greater than actual input size");
                shape[2 + i] = o;
            }
        }
        else
        {
            if (!(channels == weight.Shape[0]))
                throw new ArgumentException($"Given transposed=1, weight of size [{string.Join(", ", weight.Shape)}], expected input[{string.Join(", ", input.Shape.Select(s => s.Hint))}] to have {weight.Shape[0].Hint} channels, but got {channels.Hint} channels instead");
            shape[1] = weight.Shape[1] * groups;
            for (int i = 0; i < spatial; i++)
            {
                long k = (long)weight.Shape[2 + i];
                shape[2 + i] = (input.Shape[2 + i] - 1) * Pick(stride, i) - 2 * Pick(padding, i) + Pick(dilation, i) * (k - 1) + Pick(outputPadding, i) + 1;
            }
        }
        if (bias is not null && (bias.Ndim != 1 || !(bool)(bias.Shape[0] == shape[1])))
            throw new ArgumentException($"Given weight of size [{string.Join(", ", weight.Shape)}], expected bias to be 1-dimensional with {shape[1].Hint} elements, but got bias of size [{string.Join(", ", bias.Shape)}] instead");
        return new TensorMeta(input.DType, shape);
    }, tags: "core");

    public static readonly OpOverload BatchNormNoTraining = Def("_native_batch_norm_legit_no_training(Tensor input, Tensor? weight, Tensor? bias, Tensor running_mean, Tensor running_var, float momentum, float eps) -> (Tensor, Tensor, Tensor)", meta: a =>
    {
        var input = T0(a);
        if (input.Ndim < 2) throw new ArgumentException($"batch_norm: expected input with at least 2 dimensions (N, C, ...), got {input.Ndim}");
        var c = input.Shape[1];
        foreach (var (t, name) in new[] { (a[1] as Tensor, "weight"), (a[2] as Tensor, "bias"), (a[3] as Tensor, "running_mean"), (a[4] as Tensor, "running_var") })
            if (t is not null && !(bool)(t.Numel() == c))
                throw new ArgumentException($"batch_norm: {name} should contain {c.Hint} elements not {t.Numel().Hint}");
        return new[] { new TensorMeta(input.DType, input.Shape.AsArray()), new TensorMeta(input.DType, [0]), new TensorMeta(input.DType, [0]) };
    }, tags: "core");

    public static readonly OpOverload BatchNormFunctional = Def("_native_batch_norm_legit_functional(Tensor input, Tensor? weight, Tensor? bias, Tensor running_mean, Tensor running_var, bool training, float momentum, float eps) -> (Tensor, Tensor, Tensor, Tensor running_mean_out, Tensor running_var_out)", meta: a =>
    {
        var input = T0(a);
        // Statistics of the batch exist only in training; eval normalizes with the running ones.
        SymInt c = B(a[5]) ? input.Shape[1] : 0;
        var rm = Tn(a, 3);
        return new[]
        {
            new TensorMeta(input.DType, input.Shape.AsArray()), new TensorMeta(NormalizationKernels.StatDType(input.DType), [c]), new TensorMeta(NormalizationKernels.StatDType(input.DType), [c]),
            new TensorMeta(rm.DType, rm.Shape.AsArray()), new TensorMeta(Tn(a, 4).DType, Tn(a, 4).Shape.AsArray()),
        };
    });

    public static readonly OpOverload NativeLayerNorm = Def("native_layer_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight, Tensor? bias, float eps) -> (Tensor, Tensor, Tensor)", meta: a =>
    {
        var input = T0(a);
        var normalized = Ss(a[1]);
        int axis = input.Ndim - normalized.Length;
        bool matches = axis >= 0;
        for (int i = 0; matches && i < normalized.Length; i++) matches = input.Shape[axis + i] == normalized[i];
        if (!matches)
            throw new ArgumentException($"Given normalized_shape=[{string.Join(", ", normalized)}], expected input with shape [*, {string.Join(", ", normalized)}], but got input of size[{string.Join(", ", input.Shape.Select(s => s.Hint))}]");
        foreach (var (t, name) in new[] { (a[2] as Tensor, "weight"), (a[3] as Tensor, "bias") })
            if (t is not null && !t.Shape.AsArray().SequenceEqual(normalized))
                throw new ArgumentException($"Expected {name} to be of same shape as normalized_shape, but got {name} of shape [{string.Join(", ", t.Shape)}] and normalized_shape = [{string.Join(", ", normalized)}]");
        var statShape = input.Shape.Take(axis).Concat(Enumerable.Repeat(new SymInt(1), normalized.Length)).ToArray();
        var statType = input.DType is DType.Float16 or DType.BFloat16 ? DType.Float32 : input.DType;
        return new[] { new TensorMeta(input.DType, input.Shape.AsArray()), new TensorMeta(statType, statShape), new TensorMeta(statType, statShape) };
    }, tags: "core");

    public static readonly OpOverload NativeGroupNorm = Def("native_group_norm(Tensor input, Tensor? weight, Tensor? bias, SymInt N, SymInt C, SymInt HxW, int group, float eps) -> (Tensor, Tensor, Tensor)", meta: a =>
    {
        var input = T0(a);
        long groups = L(a[6]);
        if (!(S(a[4]) % groups == 0))
            throw new ArgumentException($"Expected number of channels in input to be divisible by num_groups, but got input of shape [{string.Join(", ", input.Shape)}] and num_groups={groups}");
        return new[] { new TensorMeta(input.DType, input.Shape.AsArray()), new TensorMeta(input.DType, [S(a[3]), groups]), new TensorMeta(input.DType, [S(a[3]), groups]) };
    }, tags: "core");

    public static readonly OpOverload Embedding = Def("embedding(Tensor weight, Tensor indices, SymInt padding_idx=-1, bool scale_grad_by_freq=False, bool sparse=False) -> Tensor", meta: a =>
    {
        Tensor weight = T0(a), indices = Tn(a, 1);
        if (weight.Ndim != 2) throw new ArgumentException($"'weight' must be 2-D, got {weight.Ndim}-D");
        if (indices.DType is not (DType.Int64 or DType.Int32))
            throw new ArgumentException($"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got {DTypeNames.Capitalized(indices.DType)} instead (while checking arguments for embedding)");
        return new TensorMeta(weight.DType, [.. indices.Shape, weight.Shape[1]]);
    }, tags: "core");

    private static TensorMeta SoftmaxMeta(object?[] a, string op)
    {
        var self = T0(a);
        ShapeRules.WrapDim(L(a[1]), self.Ndim);
        if (!self.DType.IsFloatingPoint()) throw new ArgumentException($"\"{op}\" not implemented for '{DTypeNames.Capitalized(self.DType)}'");
        return new TensorMeta(B(a[2]) ? DType.Float32 : self.DType, self.Shape.AsArray());
    }

    public static readonly OpOverload SoftmaxRaw = Def("_softmax(Tensor self, int dim, bool half_to_float) -> Tensor", meta: a => SoftmaxMeta(a, "softmax_lastdim_kernel_impl"), tags: "core");

    public static readonly OpOverload LogSoftmaxRaw = Def("_log_softmax(Tensor self, int dim, bool half_to_float) -> Tensor", meta: a => SoftmaxMeta(a, "log_softmax_lastdim_kernel_impl"), tags: "core");

    internal static SymInt PoolOutputSize(SymInt input, long kernel, long pad, long stride, long dilation, bool ceilMode)
    {
        var numerator = input + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        var output = numerator / stride + 1;
        // The last window must start inside the input or its left padding.
        if (ceilMode && (output - 1) * stride >= input + pad) output -= 1;
        return output;
    }

    private static (long[] Kernel, long[] Stride, long[] Padding, long[] Dilation) PoolArgs(string op, object?[] a, int dilationIndex)
    {
        var kernel = Ls(a[1]);
        var stride = Ls(a[2]);
        if (stride.Length == 0) stride = kernel;
        var padding = Ls(a[3]);
        var dilation = dilationIndex >= 0 ? Ls(a[dilationIndex]) : [1, 1];
        long[] Two(long[] v, string name) => v.Length switch
        {
            1 => [v[0], v[0]],
            2 => v,
            _ => throw new ArgumentException($"{op}: {name} must either be a single int, or a tuple of two ints"),
        };
        kernel = Two(kernel, "kernel_size");
        stride = Two(stride, "stride");
        padding = Two(padding, "padding");
        dilation = Two(dilation, "dilation");
        for (int i = 0; i < 2; i++)
        {
            if (kernel[i] <= 0) throw new ArgumentException($"{op}: kernel_size must be greater than zero, but got {kernel[i]}");
            if (stride[i] <= 0) throw new ArgumentException($"{op}: stride must be greater than zero, but got {stride[i]}");
            if (padding[i] < 0 || padding[i] > kernel[i] / 2)
                throw new ArgumentException($"{op}: pad should be at most half of effective kernel size, but got pad={padding[i]}, kernel_size={kernel[i]} and dilation={dilation[i]}");
        }
        return (kernel, stride, padding, dilation);
    }

    private static SymInt[] PoolShape(string op, Tensor input, object?[] a, int dilationIndex, bool ceilMode)
    {
        if (input.Ndim is not (3 or 4)) throw new ArgumentException($"{op}: non-empty 3D or 4D (batch mode) tensor expected for input, but got {input.Ndim}D");
        var (k, s, p, d) = PoolArgs(op, a, dilationIndex);
        var shape = input.Shape.AsArray().ToArray();
        int h = shape.Length - 2;
        for (int i = 0; i < 2; i++)
        {
            var o = PoolOutputSize(shape[h + i], k[i], p[i], s[i], d[i], ceilMode);
            if (o < 1)
                throw new ArgumentException($"Given input size: ({string.Join("x", input.Shape.Skip(input.Ndim - 3).Select(x => x.Hint))}). Calculated output size: ({string.Join("x", input.Shape.Skip(input.Ndim - 3).Take(1).Select(x => x.Hint))}x{PoolOutputSize(shape[h], k[0], p[0], s[0], d[0], ceilMode).Hint}x{PoolOutputSize(shape[h + 1], k[1], p[1], s[1], d[1], ceilMode).Hint}). Output size is too small");
            shape[h + i] = o;
        }
        return shape;
    }

    public static readonly OpOverload MaxPool2dWithIndices = Def("max_pool2d_with_indices(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)", meta: a =>
    {
        var shape = PoolShape("max_pool2d", T0(a), a, 4, B(a[5]));
        return new[] { new TensorMeta(T0(a).DType, shape), new TensorMeta(DType.Int64, shape) };
    }, tags: "core");

    public static readonly OpOverload AvgPool2d = Def("avg_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None) -> Tensor", meta: a =>
    {
        if (a[6] is not null && L(a[6]) == 0) throw new ArgumentException("avg_pool2d: divisor must be not zero");
        return new TensorMeta(T0(a).DType, PoolShape("avg_pool2d", T0(a), a, -1, B(a[4])));
    }, tags: "core");

    public static readonly OpOverload AdaptiveAvgPool2d = Def("_adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor", meta: a =>
    {
        var input = T0(a);
        if (input.Ndim is not (3 or 4)) throw new ArgumentException($"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [{string.Join(", ", input.Shape)}]");
        var size = Ss(a[1]);
        var shape = input.Shape.AsArray().ToArray();
        shape[^2] = size[0];
        shape[^1] = size[1];
        return new TensorMeta(input.DType, shape);
    }, tags: "core");

    public static readonly OpOverload Cat = Def("cat(Tensor[] tensors, int dim=0) -> Tensor", meta: a =>
    {
        var tensors = (Tensor[])a[0]!;
        if (tensors.Length == 0) throw new ArgumentException("torch.cat(): expected a non-empty list of Tensors");
        // torch skips 1-D empty tensors (legacy behaviour) when deciding the shape.
        var shaped = tensors.Where(t => !(t.Ndim == 1 && t.Shape[0].AsConstant == 0)).ToArray();
        if (shaped.Length == 0) return new TensorMeta(ShapeRules.ResultType(tensors), [0]);
        var reference = shaped[0];
        int dim = ShapeRules.WrapDim(L(a[1]), reference.Ndim);
        SymInt total = 0;
        foreach (var t in shaped)
        {
            if (t.Ndim != reference.Ndim)
                throw new ArgumentException($"Tensors must have same number of dimensions: got {reference.Ndim} and {t.Ndim}");
            for (int d = 0; d < t.Ndim; d++)
                if (d != dim && !(t.Shape[d] == reference.Shape[d]))
                    throw new ArgumentException($"Sizes of tensors must match except in dimension {dim}. Expected size {reference.Shape[d].Hint} but got size {t.Shape[d].Hint} for tensor number {Array.IndexOf(tensors, t)} in the list.");
            total += t.Shape[dim];
        }
        var shape = reference.Shape.AsArray().ToArray();
        shape[dim] = total;
        return new TensorMeta(ShapeRules.ResultType(tensors), shape);
    }, tags: "core");

    public static readonly OpOverload ConstantPadNd = Def("constant_pad_nd(Tensor self, SymInt[] pad, Scalar value=0) -> Tensor", meta: a =>
    {
        var self = T0(a);
        var pad = Ss(a[1]);
        if (pad.Length % 2 != 0) throw new ArgumentException($"Length of pad must be even but instead it equals {pad.Length}");
        if (pad.Length / 2 > self.Ndim)
            throw new ArgumentException($"Length of pad should be no more than twice the number of dimensions of the input. Pad length is {pad.Length} while the input has {self.Ndim} dimensions.");
        ScalarConversion.Check("constant_pad_nd", a[2], self.DType);
        var shape = self.Shape.AsArray().ToArray();
        for (int i = 0; i < pad.Length / 2; i++)
        {
            int d = self.Ndim - 1 - i;
            shape[d] = shape[d] + pad[2 * i] + pad[2 * i + 1];
            if (shape[d] < 0)
                throw new ArgumentException($"The input size {self.Shape[d].Hint}, plus negative padding {pad[2 * i].Hint} and {pad[2 * i + 1].Hint} resulted in a negative output size, which is invalid. Check dimension {d} of your input.");
        }
        return new TensorMeta(self.DType, shape);
    }, tags: "core");

    private static TensorMeta UpsampleMeta(string op, object?[] a, int scalesIndex)
    {
        var input = T0(a);
        if (input.Ndim != 4) throw new ArgumentException($"{op}: expected a 4D input (N, C, H, W), got {input.Ndim}D");
        var shape = input.Shape.AsArray().ToArray();
        if (a[1] is SymInt[] size)
        {
            if (a[scalesIndex] is not null) throw new ArgumentException($"{op}: must specify exactly one of output_size and scale_factors");
            if (size.Length != 2) throw new ArgumentException($"{op}: output_size must have 2 elements, got {size.Length}");
            shape[2] = size[0];
            shape[3] = size[1];
        }
        else if (a[scalesIndex] is double[] scales)
        {
            if (scales.Length != 2) throw new ArgumentException($"{op}: scale_factors must have 2 elements, got {scales.Length}");
            for (int i = 0; i < 2; i++)
            {
                var size2 = shape[2 + i];
                shape[2 + i] = size2.AsConstant is long c ? (long)Math.Floor(c * scales[i]) : scales[i] == Math.Floor(scales[i]) ? size2 * (long)scales[i] : (long)Math.Floor(size2.Hint * scales[i]);
            }
        }
        else
        {
            throw new ArgumentException($"{op}: must specify exactly one of output_size and scale_factors");
        }
        return new TensorMeta(input.DType, shape);
    }

    public static readonly OpOverload UpsampleNearest2d = Def("upsample_nearest2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor",
        meta: a => UpsampleMeta("upsample_nearest2d", a, 2), tags: "core");

    public static readonly OpOverload UpsampleBilinear2d = Def("upsample_bilinear2d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor",
        meta: a => UpsampleMeta("upsample_bilinear2d", a, 3), tags: "core");

    public static readonly OpOverload IndexSelect = Def("index_select(Tensor self, int dim, Tensor index) -> Tensor", meta: a =>
    {
        var self = T0(a);
        var index = Tn(a, 2);
        int dim = ShapeRules.WrapDim(L(a[1]), self.Ndim);
        if (index.Ndim > 1) throw new ArgumentException("index_select(): Index is supposed to be a vector");
        if (index.DType is not (DType.Int64 or DType.Int32)) throw new ArgumentException($"index_select(): Expected dtype int32/int64 for index but got: {DTypeNames.Capitalized(index.DType)}");
        if (self.Ndim == 0 && index.Numel() != 1) throw new ArgumentException($"index_select(): Index to scalar can have only 1 value, got {index.Numel()} value(s)");
        var shape = self.Shape.AsArray().ToArray();
        if (shape.Length > 0) shape[dim] = index.Numel();
        return new TensorMeta(self.DType, shape);
    }, tags: "core");

    public static readonly OpOverload Gather = Def("gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor", meta: a =>
    {
        var self = T0(a);
        var index = Tn(a, 2);
        ShapeRules.WrapDim(L(a[1]), self.Ndim);
        if (index.DType != DType.Int64) throw new ArgumentException($"gather(): Expected dtype int64 for index, got {DTypeNames.Capitalized(index.DType)}");
        if (index.Ndim != self.Ndim && !(index.Ndim <= 1 && self.Ndim <= 1))
            throw new ArgumentException("Index tensor must have the same number of dimensions as input tensor");
        return new TensorMeta(self.DType, index.Shape.AsArray());
    }, tags: "core");
}
