using Graphport.Operators;

namespace Graphport;

/// <summary>
/// CompositeImplicitAutograd ops: defined by other ops, so tracing records their bodies (linear becomes
/// t + addmm, reshape becomes view, softmax becomes _softmax), exactly as torch.export shows them.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Linear = Composite("linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor", LinearBody);

    private static object? LinearBody(object?[] a)
    {
        Tensor input = T0(a), weight = Tn(a, 1);
        var bias = a[2] as Tensor;
        if (weight.Ndim != 2) throw new ArgumentException($"linear: weight must be 2-D (out_features, in_features), got {weight.Ndim}-D");
        var wt = Call(T, weight);
        if (input.Ndim == 2 && bias is not null) return Call(Addmm, bias, input, wt);
        if (input.Ndim >= 3 && bias is not null)
        {
            // Fold the batch dims into rows so one addmm does the work, then restore them. reshape, not view: the
            // input may be a transposed or sliced view (attention's q/k/v), which reshape copies to contiguous first.
            var lead = input.Shape.Take(input.Ndim - 1).ToArray();
            var flat = Call(Reshape, input, new SymInt[] { ShapeRules.Product(lead), input.Shape[^1] });
            var product = Call(Addmm, bias, flat, wt);
            return Call(View, product, lead.Append(weight.Shape[0]).ToArray());
        }
        var output = Call(Matmul, input, wt);
        return bias is null ? output : Call(Add, output, bias);
    }

    public static readonly OpOverload Matmul = Composite("matmul(Tensor self, Tensor other) -> Tensor", MatmulBody);

    private static object? MatmulBody(object?[] a)
    {
        Tensor x = T0(a), y = Tn(a, 1);
        int dx = x.Ndim, dy = y.Ndim;
        if (dx == 0 || dy == 0) throw new ArgumentException($"both arguments to matmul need to be at least 1D, but they are {dx}D and {dy}D");
        if (dx == 1 && dy == 1) return Call(Dot, x, y);
        if (dx == 2 && dy == 1) return Call(SqueezeDim, Call(Mm, x, Call(Unsqueeze, y, 1L)), -1L);
        if (dx == 1 && dy == 2) return Call(SqueezeDim, Call(Mm, Call(Unsqueeze, x, 0L), y), 0L);
        if (dx == 2 && dy == 2) return Call(Mm, x, y);
        if (dx >= 3 && dy <= 2)
        {
            // Fold x's batch dims into rows: [b..., n, k] @ [k, m] = ([b*n, k] @ [k, m]).view(b..., n, m).
            var yy = dy == 1 ? Call(Unsqueeze, y, 1L) : y;
            var lead = x.Shape.Take(dx - 1).ToArray();
            var folded = Call(Reshape, x, new SymInt[] { ShapeRules.Product(lead), x.Shape[^1] });
            var product = Call(Mm, folded, yy);
            var shape = dy == 1 ? lead : lead.Append(yy.Shape[1]).ToArray();
            return Call(UnsafeView, product, shape);
        }
        // General batched case: broadcast batch dims, flatten them into one, bmm, unflatten.
        var xs = dx == 1 ? Call(Unsqueeze, x, 0L) : x;
        var ys = dy == 1 ? Call(Unsqueeze, y, 1L) : y;
        var batchX = xs.Shape.Take(xs.Ndim - 2).ToArray();
        var batchY = ys.Shape.Take(ys.Ndim - 2).ToArray();
        var batch = ShapeRules.Broadcast(batchX, batchY);
        SymInt n = xs.Shape[^2], k = xs.Shape[^1], k2 = ys.Shape[^2], m = ys.Shape[^1];
        var bx = Call(Expand, xs, batch.Append(n).Append(k).ToArray());
        var by = Call(Expand, ys, batch.Append(k2).Append(m).ToArray());
        var b = ShapeRules.Product(batch);
        var r = Call(Bmm, Call(Reshape, bx, new SymInt[] { b, n, k }), Call(Reshape, by, new SymInt[] { b, k2, m }));
        var outShape = batch.ToList();
        if (dx > 1) outShape.Add(n);
        if (dy > 1) outShape.Add(m);
        return Call(View, r, outShape.ToArray());
    }

    public static readonly OpOverload Reshape = Composite("reshape(Tensor(a) self, SymInt[] shape) -> Tensor(a)", ReshapeBody);

    private static object? ReshapeBody(object?[] a)
    {
        var self = T0(a);
        var layout = ViewLayout.Of(self);
        var shape = ShapeRules.InferSize(Ss(a[1]), self.Numel(), "reshape");
        if (layout.IsContiguous || ComputeViewStrides(layout.Shape, layout.Strides, shape) is not null) return Call(View, self, shape);
        // As torch's reshape: a contiguous copy (torch's clone alone would keep a dense tensor's strides).
        return Call(UnsafeView, CallKw(Clone, [self], ("memory_format", MemoryFormat.Contiguous)), shape);
    }

    public static readonly OpOverload FlattenUsingInts = Composite("flatten.using_ints(Tensor(a) self, int start_dim=0, int end_dim=-1) -> Tensor(a)", FlattenUsingIntsBody);

    private static object? FlattenUsingIntsBody(object?[] a)
    {
        var self = T0(a);
        if (self.Ndim == 0) return Call(Reshape, self, new SymInt[] { 1 });
        int start = ShapeRules.WrapDim(L(a[1]), self.Ndim), end = ShapeRules.WrapDim(L(a[2]), self.Ndim);
        if (start > end) throw new ArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (start == end) return self;
        var shape = self.Shape.Take(start).Append(ShapeRules.Product(self.Shape.Skip(start).Take(end - start + 1))).Concat(self.Shape.Skip(end + 1)).ToArray();
        return Call(Reshape, self, shape);
    }

    public static readonly OpOverload UnflattenInt = Composite("unflatten.int(Tensor(a) self, int dim, SymInt[] sizes) -> Tensor(a)", UnflattenIntBody);

    private static object? UnflattenIntBody(object?[] a)
    {
        var self = T0(a);
        int dim = ShapeRules.WrapDim(L(a[1]), self.Ndim);
        var sizes = ShapeRules.InferSize(Ss(a[2]), self.Shape[dim], "unflatten");
        return Call(View, self, self.Shape.Take(dim).Concat(sizes).Concat(self.Shape.Skip(dim + 1)).ToArray());
    }

    public static readonly OpOverload Conv1d = Composite("conv1d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[1] stride=1, SymInt[1] padding=0, SymInt[1] dilation=1, SymInt groups=1) -> Tensor", a => ConvBody(a, 1, "conv1d"));

    public static readonly OpOverload Conv2d = Composite("conv2d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=1, SymInt[2] padding=0, SymInt[2] dilation=1, SymInt groups=1) -> Tensor", a => ConvBody(a, 2, "conv2d"));

    public static readonly OpOverload Conv3d = Composite("conv3d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[3] stride=1, SymInt[3] padding=0, SymInt[3] dilation=1, SymInt groups=1) -> Tensor", a => ConvBody(a, 3, "conv3d"));

    public static readonly OpOverload ConvTranspose1d = Composite("conv_transpose1d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[1] stride=1, SymInt[1] padding=0, SymInt[1] output_padding=0, SymInt groups=1, SymInt[1] dilation=1) -> Tensor", a => ConvTransposeBody(a, 1, "conv_transpose1d"));

    public static readonly OpOverload ConvTranspose2d = Composite("conv_transpose2d.input(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=1, SymInt[2] padding=0, SymInt[2] output_padding=0, SymInt groups=1, SymInt[2] dilation=1) -> Tensor", a => ConvTransposeBody(a, 2, "conv_transpose2d"));

    public static readonly OpOverload ConvTranspose3d = Composite("conv_transpose3d.input(Tensor input, Tensor weight, Tensor? bias=None, SymInt[3] stride=1, SymInt[3] padding=0, SymInt[3] output_padding=0, SymInt groups=1, SymInt[3] dilation=1) -> Tensor", a => ConvTransposeBody(a, 3, "conv_transpose3d"));

    private static object? ConvBody(object?[] a, int spatial, string name) =>
        Batchified(T0(a), spatial, name, x => Call(Convolution, x, a[1], a[2], a[3], a[4], a[5], false, Enumerable.Repeat((SymInt)0, spatial).ToArray(), a[6]));

    private static object? ConvTransposeBody(object?[] a, int spatial, string name) =>
        Batchified(T0(a), spatial, name, x => Call(Convolution, x, a[1], a[2], a[3], a[4], a[7], true, a[5], a[6]));

    /// <summary>torch's batchify: aten.convolution takes [N, C, spatial...], so an unbatched [C, spatial...] input runs as a batch of one.</summary>
    private static Tensor Batchified(Tensor input, int spatial, string name, Func<Tensor, Tensor> convolve)
    {
        if (input.Ndim == spatial + 2) return convolve(input);
        if (input.Ndim != spatial + 1)
            throw new ArgumentException($"Expected {spatial + 1}D (unbatched) or {spatial + 2}D (batched) input to {name}, but got input of size: [{string.Join(", ", input.Shape)}]");
        return Call(SqueezeDim, convolve(Call(Unsqueeze, input, 0L)), 0L);
    }

    public static readonly OpOverload BatchNorm = Composite("batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps, bool cudnn_enabled) -> Tensor", BatchNormBody);

    private static object? BatchNormBody(object?[] a)
    {
        var input = T0(a);
        bool training = B(a[5]);
        if (!training)
        {
            if (a[3] is not Tensor rm || a[4] is not Tensor rv)
                throw new ArgumentException("batch_norm in eval mode needs running_mean and running_var (the module was created with track_running_stats=False; call Train() or keep statistics).");
            return CallMulti(BatchNormNoTraining, input, a[1], a[2], rm, rv, a[6], a[7])[0];
        }
        if (a[3] is Tensor runningMean && a[4] is Tensor runningVar)
        {
            var outs = CallMulti(BatchNormFunctional, input, a[1], a[2], runningMean, runningVar, true, a[6], a[7]);
            runningMean.Copy_(outs[3]);
            runningVar.Copy_(outs[4]);
            return outs[0];
        }
        // No running statistics: normalize with batch statistics only.
        var dims = Enumerable.Range(0, input.Ndim).Where(d => d != 1).Select(d => (long)d).ToArray();
        var mean = CallKw(MeanDim, [input, dims, true]);
        var variance = CallKw(VarCorrection, [input, dims], ("correction", 0L), ("keepdim", true));
        var shape = Enumerable.Range(0, input.Ndim).Select(d => d == 1 ? input.Shape[1] : new SymInt(1)).ToArray();
        var normalized = Call(Mul, Call(Sub, input, mean), Call(Rsqrt, Call(Add, variance, D(a[7]))));
        if (a[1] is Tensor w) normalized = Call(Mul, normalized, Call(View, w, shape));
        if (a[2] is Tensor b) normalized = Call(Add, normalized, Call(View, b, shape));
        return normalized;
    }

    public static readonly OpOverload LayerNorm = Composite("layer_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, bool cudnn_enable=True) -> Tensor", LayerNormBody);

    private static object? LayerNormBody(object?[] a) =>
        CallMulti(NativeLayerNorm, a[0], a[1], a[2], a[3], a[4])[0];

    public static readonly OpOverload GroupNorm = Composite("group_norm(Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, bool cudnn_enabled=True) -> Tensor", GroupNormBody);

    private static object? GroupNormBody(object?[] a)
    {
        var input = T0(a);
        if (input.Ndim < 2) throw new ArgumentException($"group_norm: expected input with at least 2 dimensions, got {input.Ndim}");
        var n = input.Shape[0];
        var c = input.Shape[1];
        var hxw = ShapeRules.Product(input.Shape.Skip(2));
        return CallMulti(NativeGroupNorm, input, a[2], a[3], n, c, hxw, a[1], a[4])[0];
    }

    public static readonly OpOverload SoftmaxInt = Composite("softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor", SoftmaxIntBody);

    private static object? SoftmaxIntBody(object?[] a)
    {
        return Call(SoftmaxRaw, ConvertedForSoftmax(a), a[1], false);
    }

    public static readonly OpOverload LogSoftmaxInt = Composite("log_softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor", LogSoftmaxIntBody);

    private static object? LogSoftmaxIntBody(object?[] a)
    {
        return Call(LogSoftmaxRaw, ConvertedForSoftmax(a), a[1], false);
    }

    // With a dtype other than the input's, the input is converted first (one _to_copy); the input's own dtype
    // converts nothing, and torch records no copy for it.
    private static Tensor ConvertedForSoftmax(object?[] a) =>
        a[2] is DType dt && dt != T0(a).DType ? CallKw(ToCopy, [T0(a)], ("dtype", dt)) : T0(a);

    public static readonly OpOverload Dropout = Composite("dropout(Tensor input, float p, bool train) -> Tensor", DropoutBody);

    private static object? DropoutBody(object?[] a)
    {
        var input = T0(a);
        double p = D(a[1]);
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        if (!B(a[2]) || p == 0) return input;
        if (p == 1) return Call(Mul, input, 0L);
        var mask = Call(BernoulliP, Call(EmptyLike, input), 1 - p);
        return Call(Div, Call(Mul, input, mask), 1 - p);
    }

    public static readonly OpOverload MaxPool2d = Composite("max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> Tensor", MaxPool2dBody);

    private static object? MaxPool2dBody(object?[] a) =>
        CallMulti(MaxPool2dWithIndices, a[0], a[1], a[2], a[3], a[4], a[5])[0];

    public static readonly OpOverload AdaptiveAvgPool2dComposite = Composite("adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor", AdaptiveAvgPool2dCompositeBody);

    private static object? AdaptiveAvgPool2dCompositeBody(object?[] a)
    {
        var size = Ss(a[1]);
        // A global average pool is a mean over the spatial dims (what torch records for ResNet's avgpool).
        if (size[0].AsConstant == 1 && size[1].AsConstant == 1) return Call(MeanDim, a[0], new long[] { -1, -2 }, true);
        return Call(AdaptiveAvgPool2d, a[0], size);
    }

    public static readonly OpOverload Stack = Composite("stack(Tensor[] tensors, int dim=0) -> Tensor", StackBody);

    private static object? StackBody(object?[] a)
    {
        var tensors = (Tensor[])a[0]!;
        if (tensors.Length == 0) throw new ArgumentException("stack expects a non-empty TensorList");
        for (int i = 1; i < tensors.Length; i++)
            if (!tensors[i].Shape.AsArray().SequenceEqual(tensors[0].Shape.AsArray()) && !ShapesEqualGuarded(tensors[i], tensors[0]))
                throw new ArgumentException($"stack expects each tensor to be equal size, but got [{string.Join(", ", tensors[0].Shape)}] at entry 0 and [{string.Join(", ", tensors[i].Shape)}] at entry {i}");
        int dim = ShapeRules.WrapDim(L(a[1]), tensors[0].Ndim + 1);
        return Call(Cat, tensors.Select(t => Call(Unsqueeze, t, (long)dim)).ToArray(), (long)dim);
    }

    private static bool ShapesEqualGuarded(Tensor x, Tensor y)
    {
        if (x.Ndim != y.Ndim) return false;
        for (int i = 0; i < x.Ndim; i++)
            if (!(x.Shape[i] == y.Shape[i])) return false;
        return true;
    }

    public static readonly OpOverload Contiguous = Composite("contiguous(Tensor(a) self, *, MemoryFormat memory_format=contiguous_format) -> Tensor(a)", ContiguousBody);

    private static object? ContiguousBody(object?[] a) =>
        T0(a).IsContiguous() ? T0(a) : CallKw(Clone, [T0(a)], ("memory_format", MemoryFormat.Contiguous));

    public static readonly OpOverload Narrow = Composite("narrow(Tensor(a) self, int dim, SymInt start, SymInt length) -> Tensor(a)", NarrowBody);

    private static object? NarrowBody(object?[] a)
    {
        var self = T0(a);
        int dim = ShapeRules.WrapDim(L(a[1]), self.Ndim);
        SymInt start = S(a[2]), length = S(a[3]);
        if (start < 0) start += self.Shape[dim];
        if (length < 0 || start + length > self.Shape[dim])
            throw new ArgumentException($"start ({start.Hint}) + length ({length.Hint}) exceeds dimension size ({self.Shape[dim].Hint}).");
        return Call(Slice, self, (long)dim, start, start + length, 1L);
    }

    public static readonly OpOverload SplitTensor = Composite("split.Tensor(Tensor(a -> *) self, SymInt split_size, int dim=0) -> Tensor(a)[]", SplitTensorBody);

    private static object? SplitTensorBody(object?[] a)
    {
        var self = T0(a);
        int dim = ShapeRules.WrapDim(L(a[2]), self.Ndim);
        long size = (long)self.Shape[dim];
        long split = L(a[1]);
        if (split <= 0 && size > 0) throw new ArgumentException($"split_size can only be 0 if dimension size is 0, but got dimension size of {size}");
        var parts = new List<Tensor>();
        for (long start = 0; start < size || (size == 0 && parts.Count == 0); start += Math.Max(split, 1))
        {
            parts.Add(Call(Slice, self, (long)dim, start, Math.Min(start + split, size), 1L));
            if (size == 0) break;
        }
        return parts.ToArray();
    }

    public static readonly OpOverload Chunk = Composite("chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[]", ChunkBody);

    private static object? ChunkBody(object?[] a)
    {
        var self = T0(a);
        long chunks = L(a[1]);
        if (chunks <= 0) throw new ArgumentException($"chunk expects `chunks` to be greater than 0, got: {chunks}");
        int dim = ShapeRules.WrapDim(L(a[2]), self.Ndim);
        long size = (long)self.Shape[dim];
        long split = (size + chunks - 1) / chunks;
        return SplitTensor.Composite!(SplitTensor.BindArgs([self, split == 0 ? 1L : split, (long)dim]));
    }

    public static readonly OpOverload UnbindInt = Composite("unbind.int(Tensor(a -> *) self, int dim=0) -> Tensor(a)[]", UnbindIntBody);

    private static object? UnbindIntBody(object?[] a)
    {
        var self = T0(a);
        int dim = ShapeRules.WrapDim(L(a[1]), self.Ndim);
        long size = (long)self.Shape[dim];
        var parts = new Tensor[size];
        for (long i = 0; i < size; i++) parts[i] = Call(Select, self, (long)dim, i);
        return parts;
    }

    public static readonly OpOverload ExpandAs = Composite("expand_as(Tensor(a) self, Tensor other) -> Tensor(a)", ExpandAsBody);

    private static object? ExpandAsBody(object?[] a) => Call(Expand, T0(a), Tn(a, 1).Shape.AsArray());

    public static readonly OpOverload ViewAs = Composite("view_as(Tensor(a) self, Tensor other) -> Tensor(a)", ViewAsBody);

    private static object? ViewAsBody(object?[] a) => Call(View, T0(a), Tn(a, 1).Shape.AsArray());

    public static readonly OpOverload ToDType = Composite("to.dtype(Tensor(a) self, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)", ToDTypeBody);

    private static object? ToDTypeBody(object?[] a) =>
        T0(a).DType == (DType)a[1]! && !B(a[3]) ? T0(a) : CallKw(ToCopy, [T0(a)], ("dtype", a[1]));

    public static readonly OpOverload Detach = Composite("detach(Tensor(a) self) -> Tensor(a)", DetachBody);

    private static object? DetachBody(object?[] a) => T0(a);

    public static readonly OpOverload StdCorrection = Composite("std.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> Tensor", StdCorrectionBody);

    private static object? StdCorrectionBody(object?[] a) =>
        Call(Sqrt, CallKw(VarCorrection, [a[0], a[1]], ("correction", a[2]), ("keepdim", a[3])));

    public static readonly OpOverload Logsumexp = Composite("logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor", LogsumexpBody);

    private static object? LogsumexpBody(object?[] a)
    {
        var self = T0(a);
        var maxes = Call(Amax, self, a[1], true);
        var shifted = Call(Exp, Call(Sub, self, maxes));
        var summed = Call(Log, Call(SumDim, shifted, a[1], true));
        var result = Call(Add, summed, maxes);
        return B(a[2]) ? result : Call(SqueezeDims, result, a[1]);
    }

    public static readonly OpOverload Square = Composite("square(Tensor self) -> Tensor", SquareBody);

    private static object? SquareBody(object?[] a) => Call(PowTensorScalar, T0(a), 2L);

    public static readonly OpOverload Rsub = Composite("rsub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor", RsubBody);

    /// <summary>other − alpha·self; alpha is checked against the result dtype first, as torch's sub checks it.</summary>
    private static object? RsubBody(object?[] a)
    {
        AlphaChecked("rsub", PointwiseMeta(ResultRule.Promoted, a[0], a[1]), a[2]);
        return Call(Add, CallKw(Mul, [T0(a), Neg_(a[2])]), a[1]);
    }

    // Each arm boxed as itself: a switch of long and double arms would make every result a double (-1.0), and
    // rsub of an integer tensor would come out float.
    private static object Neg_(object? alpha) => alpha switch { long l => (object)(-l), double d => -d, _ => -1L };

    public static readonly OpOverload PadComposite = Composite("pad(Tensor self, SymInt[] pad, str mode=\"constant\", float? value=None) -> Tensor", PadCompositeBody);

    /// <summary>
    /// F.pad: constant mode is constant_pad_nd; reflect and replicate use the pad op of the padded rank (1-3 trailing
    /// dims); circular wraps each padded dim around with slices and a cat.
    /// </summary>
    private static object? PadCompositeBody(object?[] a)
    {
        var self = T0(a);
        var pad = Ss(a[1]);
        string mode = (string)a[2]!;
        if (mode == "constant") return Call(ConstantPadNd, self, pad, a[3] is double v ? v : 0L);
        if (pad.Length % 2 != 0 || pad.Length / 2 is < 1 or > 3)
            throw new NotSupportedException($"Padding mode \"{mode}\" pads 1 to 3 trailing dims (a pad list of 2, 4 or 6 entries), got {pad.Length} entries.");
        int dims = pad.Length / 2;
        if (self.Ndim != dims + 1 && self.Ndim != dims + 2)
            throw new NotSupportedException($"Padding mode \"{mode}\" with {pad.Length} pad entries expects a {dims + 1}D or {dims + 2}D input, got {self.Ndim}D.");
        return mode switch
        {
            "reflect" => Call(dims switch { 1 => ReflectionPad1d, 2 => ReflectionPad2d, _ => ReflectionPad3d }, self, pad),
            "replicate" => Call(dims switch { 1 => ReplicationPad1d, 2 => ReplicationPad2d, _ => ReplicationPad3d }, self, pad),
            "circular" => PadCircular(self, pad),
            _ => throw new NotSupportedException($"Unrecognised padding mode {mode}: use \"constant\", \"reflect\", \"replicate\" or \"circular\"."),
        };
    }

    /// <summary>Circular padding: each padded dim becomes cat(x[size − before:], x, x[:after]); negative pads crop.</summary>
    private static Tensor PadCircular(Tensor x, SymInt[] pad)
    {
        for (int i = 0; i < pad.Length / 2; i++)
        {
            long dim = x.Ndim - 1 - i;
            SymInt before = pad[2 * i], after = pad[2 * i + 1], size = x.Shape[(int)dim];
            if (before > size || after > size)
                throw new ArgumentException("Padding value causes wrapping around more than once.");
            if (before < 0) x = Call(Slice, x, dim, -before, size, 1L);
            if (after < 0) x = Call(Slice, x, dim, 0L, x.Shape[(int)dim] + after, 1L);
            size = x.Shape[(int)dim];
            var parts = new List<Tensor>();
            if (before > 0) parts.Add(Call(Slice, x, dim, size - before, size, 1L));
            parts.Add(x);
            if (after > 0) parts.Add(Call(Slice, x, dim, 0L, after, 1L));
            if (parts.Count > 1) x = Call(Cat, parts.ToArray(), dim);
        }
        return x;
    }

    public static readonly OpOverload ScaledDotProductAttention = Composite("scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, float dropout_p=0.0, bool is_causal=False, *, float? scale=None, bool enable_gqa=False) -> Tensor", ScaledDotProductAttentionBody);

    private static object? ScaledDotProductAttentionBody(object?[] a)
    {
        Tensor q = T0(a), k = Tn(a, 1), v = Tn(a, 2);
        // Grouped-query attention: each key/value head serves hq / hk query heads.
        if (a.Length > 7 && a[7] is true && q.Ndim >= 3 && k.Ndim >= 3 && q.Shape[^3] != k.Shape[^3])
        {
            long hq = (long)q.Shape[^3], hk = (long)k.Shape[^3];
            if (hk == 0 || hq % hk != 0)
                throw new ArgumentException($"scaled_dot_product_attention: with enable_gqa, the query's {hq} heads must be a multiple of the key's and value's {hk}");
            if (GroupedQueryRows(a, q, k, v, hq / hk) is { } grouped) return grouped;
            k = Call(RepeatInterleaveSelfInt, k, hq / hk, -3L);
            v = Call(RepeatInterleaveSelfInt, v, hq / hk, -3L);
        }
        double scale = a[6] is double s ? s : 1.0 / Math.Sqrt((long)q.Shape[^1]);
        var scores = Call(Mul, Call(Matmul, q, Call(Transpose, k, -2L, -1L)), scale);
        if (B(a[5]))
        {
            scores = Call(MaskedFill, scores, KeysAfterEachRow(q.Shape[^2], k.Shape[^2]), double.NegativeInfinity);
        }
        if (a[3] is Tensor mask)
            scores = mask.DType == DType.Bool ? Call(MaskedFill, scores, Call(LogicalNot, mask), double.NegativeInfinity) : Call(Add, scores, mask);
        var weights = Call(SoftmaxInt, scores, -1L);
        // A query whose every key is masked out (the first positions of a left-padded batch under a causal mask) gets
        // weights of zero, as torch's math attention gives them (its _safe_softmax), not 0/0: its NaN would reach
        // every later position through the next layer's keys and values.
        if (B(a[5]) || a[3] is Tensor)
            weights = Call(WhereScalarSelf, Call(AllDim, Call(EqScalar, scores, double.NegativeInfinity), -1L, true), 0.0, weights);
        if (D(a[4]) > 0) weights = Call(Dropout, weights, a[4], true);
        return Call(Matmul, weights, v);
    }

    // is_causal's mask as torch builds it: true where a key comes after the query row (its top-left triangle is kept).
    private static Tensor KeysAfterEachRow(SymInt rows, SymInt keys) =>
        Call(Triu, CallKw(Ones, [new SymInt[] { rows, keys }], ("dtype", DType.Bool)), 1L);

    // Grouped-query attention without repeating the key and value: query heads h·g + r (r < g) all read key/value head
    // h, so the g query heads of a group are taken as g times the query rows against that one key/value head, and
    // the result is read back as hq heads. A decoding step (one query row) then multiplies g rows at once instead of
    // copying its whole key/value cache g times. Only where the mask has no head dim of its own; else null, and the key
    // and value are repeated. A causal attention (whose mask is per query row) gets its rows-by-keys mask spread over
    // the folded rows, as an explicit boolean mask.
    private static Tensor? GroupedQueryRows(object?[] a, Tensor q, Tensor k, Tensor v, long groups)
    {
        if (q.Ndim != 4 || k.Ndim != 4 || v.Ndim != 4) return null;
        var mask = a[3] as Tensor;
        SymInt batch = q.Shape[0], kvHeads = k.Shape[1], rows = q.Shape[2], width = q.Shape[3];
        if (B(a[5]))
        {
            // Query row t sees keys 0..t, whatever the key count.
            if (mask is not null) return null;
            mask = Call(LogicalNot, KeysAfterEachRow(rows, k.Shape[2]));
        }
        if (mask is not null && (mask.Ndim > 4 || (mask.Ndim >= 3 && !(bool)(mask.Shape[^3] == 1)))) return null;
        var folded = Call(Reshape, q, new[] { batch, kvHeads, rows * groups, width });
        Tensor? foldedMask = null;
        if (mask is not null)
        {
            // [.., 1, rows, keys] (any leading batch dim of 1 or the batch) repeated for each query head of a group.
            var four = mask.Ndim switch
            {
                2 => Call(Unsqueeze, Call(Unsqueeze, mask, 0L), 0L),
                3 => Call(Unsqueeze, mask, 0L),
                _ => mask,
            };
            SymInt maskBatch = four.Shape[0], keys = four.Shape[3], maskRows = four.Shape[2];
            if (!(bool)(maskRows == rows) && !(bool)(maskRows == 1)) return null;
            var spread = Call(Expand, Call(Unsqueeze, four, 2L), new[] { maskBatch, (SymInt)1, (SymInt)groups, rows, keys });
            foldedMask = Call(Reshape, spread, new[] { maskBatch, (SymInt)1, rows * groups, keys });
        }
        double scale = a[6] is double s ? s : 1.0 / Math.Sqrt((long)width);
        var output = (Tensor)ScaledDotProductAttentionBody([folded, k, v, foldedMask, a[4], false, scale, false])!;
        return Call(Reshape, output, new[] { batch, (SymInt)(q.Shape[1]), rows, v.Shape[3] });
    }

    public static readonly OpOverload ClampMin = Composite("clamp_min(Tensor self, Scalar min) -> Tensor", ClampMinBody);

    private static object? ClampMinBody(object?[] a) => Call(Clamp, a[0], a[1], null);

    public static readonly OpOverload ClampMax = Composite("clamp_max(Tensor self, Scalar max) -> Tensor", ClampMaxBody);

    private static object? ClampMaxBody(object?[] a) => Call(Clamp, a[0], null, a[1]);

    public static readonly OpOverload Triu = Def("triu(Tensor self, SymInt diagonal=0) -> Tensor", meta: a =>
    {
        if (T0(a).Ndim < 2) throw new ArgumentException("triu: input tensor must have at least 2 dimensions");
        return new TensorMeta(T0(a).DType, T0(a).Shape.AsArray());
    });

    public static readonly OpOverload Tril = Def("tril(Tensor self, SymInt diagonal=0) -> Tensor", meta: a =>
    {
        if (T0(a).Ndim < 2) throw new ArgumentException("tril: input tensor must have at least 2 dimensions");
        return new TensorMeta(T0(a).DType, T0(a).Shape.AsArray());
    });
}
