using System.Numerics;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>Eager kernels of neural-network ops over Graphport.Cpu; half-precision inputs compute in float32.</summary>
internal static class NNKernels
{
    private static bool IsDouble(Tensor t) => t.DType == DType.Float64;

    private static void RequireFloat(string op, Tensor t)
    {
        if (!t.DType.IsFloatingPoint())
            throw new NotSupportedException($"\"{op}\" not implemented for '{DTypeNames.Capitalized(t.DType)}': convert the input with .Float().");
    }

    private static T[]? Optional<T>(object? t) where T : unmanaged => t is Tensor tensor ? Eager.Dense<T>(tensor) : null;

    private static (int, int) Pair(SymInt[] v) => v.Length == 1 ? ((int)(long)v[0], (int)(long)v[0]) : ((int)(long)v[0], (int)(long)v[1]);

    private static (int, int) Pair(long[] v) => v.Length == 1 ? ((int)v[0], (int)v[0]) : ((int)v[0], (int)v[1]);

    public static readonly KernelFunction Convolution = a =>
    {
        var input = Aten.T0(a);
        RequireFloat("convolution", input);
        return IsDouble(input) ? Convolve<double>(a) : Convolve<float>(a);
    };

    /// <summary>aten::convolution with its weight prepared once (a frozen module's constant weight): float32 3×3
    /// convolutions at stride 1 take Winograd's path, small output maps the position-major one. A prepared weight that
    /// does not suit the call (another dtype or shape) leaves it to the plain path.</summary>
    internal static Tensor ConvolutionPrepared(object?[] a, PreparedConvolutionWeight prepared)
    {
        var input = Aten.T0(a);
        RequireFloat("convolution", input);
        return IsDouble(input) ? Convolve<double>(a, prepared) : Convolve<float>(a, prepared);
    }

    private static Tensor Convolve<T>(object?[] a, PreparedConvolutionWeight? prepared = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor input = Aten.T0(a), weight = Aten.Tn(a, 1);
        static int[] Ints(object? v) => Aten.Ls(v).Select(x => checked((int)x)).ToArray();
        var r = Cpu.Convolution.Compute(Eager.Dense<T>(input), input.Sizes, Eager.Dense<T>(weight), weight.Sizes, Optional<T>(a[2]),
            Ints(a[3]), Ints(a[4]), Ints(a[5]), Aten.B(a[6]), Ints(a[7]), checked((int)Aten.L(a[8])), prepared);
        return Eager.Wrap(r, input.DType);
    }

    public static readonly KernelFunction BatchNormNoTraining = a =>
    {
        var input = Aten.T0(a);
        RequireFloat("batch_norm", input);
        return IsDouble(input) ? BatchNormInference<double>(a) : BatchNormInference<float>(a);
    };

    private static Tensor[] BatchNormInference<T>(object?[] a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Aten.T0(a);
        var (x, layout) = Eager.As<T>(input);
        var r = Normalization.BatchNormInference(x, layout, Eager.Dense<T>(Aten.Tn(a, 3)), Eager.Dense<T>(Aten.Tn(a, 4)), Optional<T>(a[1]), Optional<T>(a[2]), Aten.D(a[6]));
        var empty = Tensor.Empty(input.DType, [0]);
        return [Eager.Wrap(r, input.DType), empty, Tensor.Empty(input.DType, [0])];
    }

    /// <summary>Training-mode batch norm: normalizes with batch statistics and returns updated running statistics.</summary>
    public static readonly KernelFunction BatchNormFunctional = a =>
    {
        Tensor input = Aten.T0(a), runningMean = Aten.Tn(a, 3), runningVar = Aten.Tn(a, 4);
        RequireFloat("batch_norm", input);
        double momentum = Aten.D(a[6]), eps = Aten.D(a[7]);
        if (!Aten.B(a[5]))
        {
            var evalOut = ((Tensor[])BatchNormNoTraining([input, a[1], a[2], runningMean, runningVar, momentum, eps])!)[0];
            var empty = NormalizationKernels.StatDType(input.DType);
            return new[] { evalOut, Tensor.Empty(empty, [0]), Tensor.Empty(empty, [0]), Aten.Call(Aten.Clone, runningMean), Aten.Call(Aten.Clone, runningVar) };
        }
        var dims = Enumerable.Range(0, input.Ndim).Where(d => d != 1).Select(d => (long)d).ToArray();
        var x = input.DType == DType.Float64 ? input : input.Float();
        var mean = x.Mean(dims);
        var biasedVar = x.Var(dims, correction: 0);
        long n = input.NumelLong / Math.Max(input.Sizes[1], 1);
        var unbiasedVar = n > 1 ? biasedVar * ((double)n / (n - 1)) : biasedVar;
        var shape = Enumerable.Range(0, input.Ndim).Select(d => d == 1 ? input.Sizes[1] : 1L).ToArray();
        var rstd = (biasedVar + eps).Rsqrt();
        var output = (x - mean.View(shape)) * rstd.View(shape);
        if (a[1] is Tensor w) output = output * w.View(shape);
        if (a[2] is Tensor b) output = output + b.View(shape);
        var newMean = runningMean * (1 - momentum) + mean.To(runningMean.DType) * momentum;
        var newVar = runningVar * (1 - momentum) + unbiasedVar.To(runningVar.DType) * momentum;
        var stat = NormalizationKernels.StatDType(input.DType);
        return new[] { output.To(input.DType), mean.To(stat), rstd.To(stat), newMean, newVar };
    };

    public static readonly KernelFunction NativeLayerNorm = a =>
    {
        var input = Aten.T0(a);
        RequireFloat("native_layer_norm", input);
        return IsDouble(input) ? LayerNorm<double>(a) : LayerNorm<float>(a);
    };

    private static Tensor[] LayerNorm<T>(object?[] a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Aten.T0(a);
        var (x, layout) = Eager.As<T>(input);
        var (o, mean, rstd) = Normalization.LayerNorm(x, layout, Aten.Ls(a[1]), Optional<T>(a[2]), Optional<T>(a[3]), Aten.D(a[4]));
        var statType = input.DType == DType.Float64 ? DType.Float64 : DType.Float32;
        return [Eager.Wrap(o, input.DType), Eager.Wrap(mean, statType), Eager.Wrap(rstd, statType)];
    }

    public static readonly KernelFunction NativeGroupNorm = a =>
    {
        var input = Aten.T0(a);
        RequireFloat("native_group_norm", input);
        return IsDouble(input) ? GroupNorm<double>(a) : GroupNorm<float>(a);
    };

    private static Tensor[] GroupNorm<T>(object?[] a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Aten.T0(a);
        var (x, layout) = Eager.As<T>(input);
        var (o, mean, rstd) = Normalization.GroupNorm(x, layout, (int)Aten.L(a[6]), Optional<T>(a[1]), Optional<T>(a[2]), Aten.D(a[7]));
        return [Eager.Wrap(o, input.DType), Eager.Wrap(mean, input.DType), Eager.Wrap(rstd, input.DType)];
    }

    public static readonly KernelFunction Embedding = a =>
    {
        Tensor weight = Aten.T0(a), indices = Aten.Tn(a, 1);
        var idx = Eager.Dense<long>(indices);
        return weight.DType switch
        {
            DType.Float64 => Eager.Wrap(Indexing.Embedding(Eager.Dense<double>(weight), StridedLayout.Contiguous(weight.Sizes), idx, indices.Sizes), weight.DType),
            DType.Int64 => Eager.Wrap(Indexing.Embedding(Eager.Dense<long>(weight), StridedLayout.Contiguous(weight.Sizes), idx, indices.Sizes), weight.DType),
            _ => Eager.Wrap(Indexing.Embedding(Eager.Dense<float>(weight), StridedLayout.Contiguous(weight.Sizes), idx, indices.Sizes), weight.DType),
        };
    };

    public static KernelFunction Softmax(bool log) => a =>
    {
        var input = Aten.T0(a);
        int dim = ShapeRules.WrapDim(Aten.L(a[1]), input.Ndim);
        var result = Aten.B(a[2]) ? DType.Float32 : input.DType;
        if (IsDouble(input))
        {
            var (x, l) = Eager.As<double>(input);
            var o = RunBuffers.Allocate<double>(l.Numel, clear: false);
            if (log) Normalization.LogSoftmax(x, l, dim, o);
            else Normalization.Softmax(x, l, dim, o);
            return Eager.Wrap(o, input.Sizes, result);
        }
        var (xf, lf) = Eager.As<float>(input);
        var of = RunBuffers.Allocate<float>(lf.Numel, clear: false);
        if (log) Normalization.LogSoftmax(xf, lf, dim, of);
        else Normalization.Softmax(xf, lf, dim, of);
        return Eager.Wrap(of, input.Sizes, result);
    };

    /// <summary>
    /// softmax(x·c or x/c, plus mask, over the last dim) in one pass (<see cref="Normalization.ScaledMaskedSoftmax{T}"/>),
    /// for a frozen module's attention scores. Operands it cannot take that way (another dtype, a mask that does not
    /// broadcast into x) run as the three ops would, so the result is theirs either way.
    /// </summary>
    internal static Tensor ScaledMaskedSoftmax(Tensor x, PointwiseStep? scale, Tensor? mask)
    {
        bool fused = !x.IsFake && x.DType is DType.Float32 or DType.Float64 && x.Ndim > 0
            && (mask is null || (!mask.IsFake && mask.DType == x.DType && Broadcasts(mask, x.Sizes)));
        if (!fused)
        {
            var scaled = scale is { } step ? Aten.Call(step.Kind == PointwiseStep.Kinds.Divide ? Aten.Div : Aten.Mul, x, step.Value) : x;
            var shifted = mask is null ? scaled : Aten.Call(Aten.Add, scaled, mask);
            return Aten.Call(Aten.SoftmaxRaw, shifted, -1L, false);
        }
        return IsDouble(x) ? ScaledMaskedSoftmax<double>(x, scale, mask) : ScaledMaskedSoftmax<float>(x, scale, mask);
    }

    private static Tensor ScaledMaskedSoftmax<T>(Tensor x, PointwiseStep? scale, Tensor? mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = RunBuffers.Allocate<T>(x.NumelLong, clear: false);
        var (maskData, maskLayout) = mask is null ? (null, default) : Eager.As<T>(mask);
        if (mask is not null) maskLayout = new StridedLayout((long[])x.Sizes.Clone(), Eager.BroadcastStrides(mask, x.Sizes), maskLayout.Offset);
        Normalization.ScaledMaskedSoftmax(Eager.Dense<T>(x), x.Sizes, scale, maskData, maskLayout, output);
        return Eager.Wrap(output, x.Sizes, x.DType);
    }

    /// <summary>
    /// torch's _safe_softmax after the fact: each row (over the last dim) of <paramref name="probabilities"/>, a
    /// softmax's own fresh output, whose <paramref name="scores"/> are all -inf (a query that sees no key: 0/0 came out)
    /// is set to zero in place, as attention's guard after the softmax would give it (<see cref="SafeSoftmaxGuard"/>).
    /// </summary>
    internal static void ZeroRowsOfNegativeInfinity(Tensor probabilities, Tensor scores)
    {
        if (probabilities.DType == DType.Float32) ZeroRowsOfNegativeInfinity<float>(probabilities, scores);
        else if (probabilities.DType == DType.Float64) ZeroRowsOfNegativeInfinity<double>(probabilities, scores);
        else throw new ArgumentException($"The guard for rows of -inf takes a float32 or float64 softmax, not {probabilities.DType}.");
    }

    private static void ZeroRowsOfNegativeInfinity<T>(Tensor probabilities, Tensor scores) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (data, layout) = Eager.As<T>(probabilities);
        if (!ReferenceEquals(data, probabilities.Storage.Data) || !layout.IsContiguous || !scores.Sizes.SequenceEqual(probabilities.Sizes))
            throw new InvalidOperationException("The guard for rows of -inf writes into a softmax's own contiguous output of the scores' shape.");
        var x = Eager.Dense<T>(scores);
        long length = probabilities.Ndim == 0 ? 1 : probabilities.Sizes[^1];
        if (length == 0) return;
        for (long row = 0, rows = probabilities.NumelLong / length; row < rows; row++)
        {
            var rowScores = x.AsSpan((int)(row * length), (int)length);
            bool allNegativeInfinity = true;
            foreach (var v in rowScores)
                if (!T.IsNegativeInfinity(v)) { allNegativeInfinity = false; break; }
            if (allNegativeInfinity) data.AsSpan((int)(layout.Offset + row * length), (int)length).Clear();
        }
    }

    // Each of the mask's dims (aligned from the right) is 1 or x's.
    private static bool Broadcasts(Tensor mask, long[] shape)
    {
        if (mask.Ndim > shape.Length) return false;
        for (int i = 1; i <= mask.Ndim; i++)
            if (mask.Sizes[^i] != 1 && mask.Sizes[^i] != shape[^i]) return false;
        return true;
    }

    /// <summary>
    /// y + upsample_nearest2d(x) (<paramref name="upsampleFirst"/>: the upsample is the add's first operand) in one
    /// pass when both are contiguous float32, y is [N, C, 2h, 2w] for x's [N, C, h, w], and the upsample's arguments
    /// give that size; anything else runs as the two ops (<paramref name="upsample"/> with its constant arguments).
    /// </summary>
    internal static Tensor UpsampledAdd(Tensor x, Tensor y, OpOverload upsample, object?[] upsampleArgs, bool upsampleFirst)
    {
        bool twice = !x.IsFake && !y.IsFake && x.DType == DType.Float32 && y.DType == DType.Float32 && x.Ndim == 4 && y.Ndim == 4
            && x.Sizes[0] == y.Sizes[0] && x.Sizes[1] == y.Sizes[1] && y.Sizes[2] == 2 * x.Sizes[2] && y.Sizes[3] == 2 * x.Sizes[3];
        if (!twice)
        {
            var up = (Tensor)upsample.Call([x, .. upsampleArgs])!;
            return upsampleFirst ? Aten.Call(Aten.Add, up, y) : Aten.Call(Aten.Add, y, up);
        }
        var output = RunBuffers.Allocate<float>(y.NumelLong, clear: false);
        Cpu.UpsampleKernels.AddNearest2x(Eager.Dense<float>(x), x.Sizes, Eager.Dense<float>(y), output);
        return Eager.Wrap(output, y.Sizes, DType.Float32);
    }

    /// <summary>
    /// x + x·s with s one number per image and channel ([N, C, 1, 1] or [1, C, 1, 1]) in one pass when x is a
    /// contiguous float32 [N, C, H, W] (<see cref="Cpu.Pointwise.ChannelScaledResidual"/>); anything else runs as the mul
    /// and add ops.
    /// </summary>
    internal static Tensor ChannelScaledResidual(Tensor x, Tensor scale)
    {
        bool fits = !x.IsFake && !scale.IsFake && x.DType == DType.Float32 && scale.DType == DType.Float32 && x.Ndim == 4 && scale.Ndim == 4 && x.IsContiguous()
            && (scale.Sizes[0] == x.Sizes[0] || scale.Sizes[0] == 1) && scale.Sizes[1] == x.Sizes[1] && scale.Sizes[2] == 1 && scale.Sizes[3] == 1;
        if (!fits) return Aten.Call(Aten.Add, x, Aten.Call(Aten.Mul, x, scale));
        var output = RunBuffers.Allocate<float>(x.NumelLong, clear: false);
        Cpu.Pointwise.ChannelScaledResidual(Eager.Dense<float>(x), x.Sizes, Eager.Dense<float>(scale.Contiguous()), output);
        return Eager.Wrap(output, x.Sizes, DType.Float32);
    }

    private static (long[] Kernel, long[] Stride, long[] Padding) PoolWindow(object?[] a)
    {
        var kernel = Aten.Ls(a[1]);
        var stride = Aten.Ls(a[2]);
        return (kernel, stride.Length == 0 ? kernel : stride, Aten.Ls(a[3]));
    }

    public static readonly KernelFunction MaxPool2dWithIndices = a =>
    {
        var input = Aten.T0(a);
        RequireFloat("max_pool2d", input);
        var (k, s, p) = PoolWindow(a);
        var d = Aten.Ls(a[4]);
        bool ceil = Aten.B(a[5]);
        if (IsDouble(input))
        {
            var r = Pooling.MaxPool2d(Eager.Dense<double>(input), input.Sizes, Pair(k), Pair(s), Pair(p), Pair(d), ceil);
            return new[] { Eager.Wrap(r.Output, input.DType), Eager.Wrap(r.Indices, DType.Int64) };
        }
        var rf = Pooling.MaxPool2d(Eager.Dense<float>(input), input.Sizes, Pair(k), Pair(s), Pair(p), Pair(d), ceil);
        return new[] { Eager.Wrap(rf.Output, input.DType), Eager.Wrap(rf.Indices, DType.Int64) };
    };

    /// <summary>
    /// max_pool2d_with_indices' values alone (a frozen module's pool whose indices nobody reads), from the same
    /// arguments, without computing the indices.
    /// </summary>
    internal static Tensor MaxPool2dValues(object?[] a)
    {
        var input = Aten.T0(a);
        RequireFloat("max_pool2d", input);
        var (k, s, p) = PoolWindow(a);
        var d = Aten.Ls(a[4]);
        bool ceil = Aten.B(a[5]);
        return IsDouble(input)
            ? Eager.Wrap(Pooling.MaxPool2dValues(Eager.Dense<double>(input), input.Sizes, Pair(k), Pair(s), Pair(p), Pair(d), ceil), input.DType)
            : Eager.Wrap(Pooling.MaxPool2dValues(Eager.Dense<float>(input), input.Sizes, Pair(k), Pair(s), Pair(p), Pair(d), ceil), input.DType);
    }

    public static readonly KernelFunction AvgPool2d = a =>
    {
        var input = Aten.T0(a);
        RequireFloat("avg_pool2d", input);
        var (k, s, p) = PoolWindow(a);
        bool ceil = Aten.B(a[4]), countPad = Aten.B(a[5]);
        int? divisor = a[6] is null ? null : (int)Aten.L(a[6]);
        return IsDouble(input)
            ? Eager.Wrap(Pooling.AvgPool2d(Eager.Dense<double>(input), input.Sizes, Pair(k), Pair(s), Pair(p), ceil, countPad, divisor), input.DType)
            : Eager.Wrap(Pooling.AvgPool2d(Eager.Dense<float>(input), input.Sizes, Pair(k), Pair(s), Pair(p), ceil, countPad, divisor), input.DType);
    };

    public static readonly KernelFunction AdaptiveAvgPool2d = a =>
    {
        var input = Aten.T0(a);
        RequireFloat("adaptive_avg_pool2d", input);
        var size = Pair(Aten.Ss(a[1]));
        return IsDouble(input)
            ? Eager.Wrap(Pooling.AdaptiveAvgPool2d(Eager.Dense<double>(input), input.Sizes, size), input.DType)
            : Eager.Wrap(Pooling.AdaptiveAvgPool2d(Eager.Dense<float>(input), input.Sizes, size), input.DType);
    };

    public static readonly KernelFunction Cat = a =>
    {
        var tensors = (Tensor[])a[0]!;
        var meta = (TensorMeta)Aten.Cat.Meta!(a);
        var parts = tensors.Where(t => !(t.Ndim == 1 && t.Sizes[0] == 0)).ToArray();
        if (parts.Length == 0) return Tensor.Empty(meta.DType, [0]);
        int dim = ShapeRules.WrapDim(Aten.L(a[1]), parts[0].Ndim);
        if (meta.DType.IsComplex())
        {
            var pairs = parts.Select(p => ComplexKernels.ViewAsReal(p.DType == meta.DType ? p : Aten.CallKw(Aten.ToCopy, [p], ("dtype", meta.DType)))).ToArray();
            return ComplexKernels.ViewAsComplex(Aten.Call(Aten.Cat, pairs, (long)dim), meta.DType);
        }
        return Eager.ComputeDType(meta.DType) switch
        {
            DType.Float64 => CatTyped<double>(parts, dim, meta.DType),
            DType.Float32 => CatTyped<float>(parts, dim, meta.DType),
            DType.Bool => CatTyped<bool>(parts, dim, meta.DType),
            _ => CatTyped<long>(parts, dim, meta.DType),
        };
    };

    private static Tensor CatTyped<T>(Tensor[] parts, int dim, DType result) where T : unmanaged
    {
        var inputs = parts.Select(p => Eager.As<T>(p)).ToList();
        return Eager.Wrap(Indexing.Cat<T>(inputs, dim), result);
    }

    public static readonly KernelFunction ConstantPadNd = a =>
    {
        var self = Aten.T0(a);
        var meta = (TensorMeta)Aten.ConstantPadNd.Meta!(a);
        var outShape = Eager.Longs(meta.Shape);
        var result = Eager.Full(self.DType, outShape, a[2]!);
        // Copy the overlapping region: negative padding crops, positive padding leaves the fill value.
        var pad = Aten.Ls(a[1]);
        Tensor src = self, dst = result;
        for (int i = 0; i < pad.Length / 2; i++)
        {
            int d = self.Ndim - 1 - i;
            long before = pad[2 * i];
            long srcStart = Math.Max(-before, 0), dstStart = Math.Max(before, 0);
            long length = Math.Min(src.Sizes[d] - srcStart, dst.Sizes[d] - dstStart);
            if (length <= 0) return result;
            src = (Tensor)Aten.Slice.Kernel!([src, (SymInt)d, (SymInt)srcStart, (SymInt)(srcStart + length), (SymInt)1])!;
            dst = (Tensor)Aten.Slice.Kernel!([dst, (SymInt)d, (SymInt)dstStart, (SymInt)(dstStart + length), (SymInt)1])!;
        }
        Eager.CopyInto(dst, src);
        return result;
    };

    public static KernelFunction Upsample(bool bilinear) => a =>
    {
        var input = Aten.T0(a);
        RequireFloat(bilinear ? "upsample_bilinear2d" : "upsample_nearest2d", input);
        (int, int)? size = a[1] is SymInt[] s ? Pair(s) : null;
        var scalesArg = bilinear ? a[3] : a[2];
        (double, double)? scales = scalesArg is double[] sc ? (sc[0], sc[1]) : null;
        if (bilinear)
        {
            bool align = Aten.B(a[2]);
            return IsDouble(input)
                ? Eager.Wrap(Cpu.UpsampleKernels.Bilinear2d(Eager.Dense<double>(input), input.Sizes, size, align, scales), input.DType)
                : Eager.Wrap(Cpu.UpsampleKernels.Bilinear2d(Eager.Dense<float>(input), input.Sizes, size, align, scales), input.DType);
        }
        return IsDouble(input)
            ? Eager.Wrap(Cpu.UpsampleKernels.Nearest2d(Eager.Dense<double>(input), input.Sizes, size, scales), input.DType)
            : Eager.Wrap(Cpu.UpsampleKernels.Nearest2d(Eager.Dense<float>(input), input.Sizes, size, scales), input.DType);
    };

    public static readonly KernelFunction IndexSelect = a =>
    {
        var self = Aten.T0(a);
        int dim = ShapeRules.WrapDim(Aten.L(a[1]), self.Ndim);
        var index = Eager.Dense<long>(Aten.Tn(a, 2));
        if (self.DType.IsComplex() && self.Ndim > 0)
            return ComplexKernels.ThroughParts(self, self.DType, pairs => Aten.Call(Aten.IndexSelect, pairs, (long)dim, a[2]));
        return Eager.ComputeDType(self.DType) switch
        {
            DType.Float64 => Typed<double>(),
            DType.Float32 => Typed<float>(),
            DType.Bool => Typed<bool>(),
            _ => Typed<long>(),
        };

        Tensor Typed<T>() where T : unmanaged
        {
            var (d, l) = Eager.As<T>(self);
            var selected = Indexing.IndexSelect(d, l, dim, index);
            // A 0-dim input selects its one element into a 0-dim result, as torch does.
            return Eager.Wrap(selected.Data, self.Ndim == 0 ? [] : selected.Shape, self.DType);
        }
    };

    public static readonly KernelFunction Gather = a =>
    {
        var self = Aten.T0(a);
        var indexTensor = Aten.Tn(a, 2);
        // torch gathers with a 0-dim input or index as if it were 1-D (the meta lets ranks up to 1 differ); the
        // result takes the index's shape.
        int rank = Math.Max(1, self.Ndim);
        int dim = ShapeRules.WrapDim(Aten.L(a[1]), rank);
        var (index, indexLayout) = Eager.As<long>(indexTensor);
        if (indexLayout.Rank == 0) indexLayout = indexLayout.Unsqueeze(0);
        return Eager.ComputeDType(self.DType) switch
        {
            DType.Float64 => Typed<double>(),
            DType.Float32 => Typed<float>(),
            DType.Bool => Typed<bool>(),
            _ => Typed<long>(),
        };

        Tensor Typed<T>() where T : unmanaged
        {
            var (d, l) = Eager.As<T>(self);
            if (l.Rank == 0) l = l.Unsqueeze(0);
            var gathered = Indexing.Gather(d, l, dim, index, indexLayout);
            return Eager.Wrap(gathered.Data, indexTensor.Sizes, self.DType);
        }
    };

    public static KernelFunction Triangle(bool lower) => a =>
    {
        var self = Aten.T0(a);
        long diagonal = Aten.L(a[1]);
        return Eager.ComputeDType(self.DType) switch
        {
            DType.Float64 => Typed<double>(),
            DType.Float32 => Typed<float>(),
            DType.Bool => Typed<bool>(),
            _ => Typed<long>(),
        };

        Tensor Typed<T>() where T : unmanaged
        {
            var (d, l) = Eager.As<T>(self);
            return Eager.Wrap(lower ? Indexing.Tril(d, l, diagonal) : Indexing.Triu(d, l, diagonal), self.DType);
        }
    };
}
