using Graphport.Cpu;
using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Core ATen pooling beyond Aten.NN.cs: 1-D and 3-D average/max/adaptive pooling and the backward ops the opset
/// lists (avg_pool2d_backward, max_pool2d_with_indices_backward, _adaptive_avg_pool2d_backward). Output sizes are
/// symbolic in the input's spatial sizes; window parameters are static.
/// </summary>
internal static partial class Aten
{
    /// <summary>Window arguments expanded to <paramref name="rank"/> entries (one value means all dims; empty stride means kernel).</summary>
    private static PoolingNd.Window WindowArgs(string op, int rank, object? kernel, object? stride, object? padding, object? dilation, bool ceilMode)
    {
        long[] Expand(long[] v, string name) => v.Length == rank ? v : v.Length == 1 ? Enumerable.Repeat(v[0], rank).ToArray()
            : throw new ArgumentException($"{op}: {name} must either be a single int, or a tuple of {rank} ints");
        var k = Expand(Ls(kernel), "kernel_size");
        var s = Ls(stride);
        s = s.Length == 0 ? k : Expand(s, "stride");
        var p = Expand(Ls(padding), "padding");
        var d = dilation is null ? Enumerable.Repeat(1L, rank).ToArray() : Expand(Ls(dilation), "dilation");
        for (int i = 0; i < rank; i++)
        {
            if (k[i] <= 0) throw new ArgumentException($"{op}: kernel_size must be greater than zero, but got {k[i]}");
            if (s[i] <= 0) throw new ArgumentException($"{op}: stride must be greater than zero, but got {s[i]}");
            if (d[i] <= 0) throw new ArgumentException($"{op}: dilation must be greater than zero, but got {d[i]}");
            if (p[i] < 0 || p[i] > k[i] / 2)
                throw new ArgumentException($"{op}: pad should be at most half of effective kernel size, but got pad={p[i]}, kernel_size={k[i]} and dilation={d[i]}");
        }
        return new PoolingNd.Window(k, s, p, d, ceilMode);
    }

    /// <summary>The output shape of an N-d pool: batch/channel dims kept, each spatial size by torch's pooling formula.</summary>
    private static SymInt[] PooledShape(string op, Tensor input, PoolingNd.Window w)
    {
        int rank = w.Rank;
        if (input.Ndim != rank + 1 && input.Ndim != rank + 2)
            throw new ArgumentException($"{op}: Expected {rank + 1}D or {rank + 2}D (batch mode) tensor for input, but got [{string.Join(", ", input.Shape)}]");
        var shape = input.Shape.AsArray().ToArray();
        int lead = input.Ndim - rank;
        for (int i = 0; i < rank; i++)
        {
            var o = PoolOutputSize(shape[lead + i], w.Kernel[i], w.Padding[i], w.Stride[i], w.Dilation[i], w.CeilMode);
            if (o < 1)
                throw new ArgumentException($"{op}: Given input size: ({string.Join("x", input.Shape.Skip(lead - 1).Select(x => x.Hint))}). Calculated output size is too small (dim {i} would have size {o.Hint})");
            shape[lead + i] = o;
        }
        return shape;
    }

    private static void CheckGradShape(string op, Tensor grad, SymInt[] expected)
    {
        if (grad.Ndim != expected.Length)
            throw new ArgumentException($"{op}: grad_output has {grad.Ndim} dimensions, expected {expected.Length} (the forward output [{string.Join(", ", expected)}])");
    }

    private static long? Divisor(object? v)
    {
        if (v is null) return null;
        long d = L(v);
        return d == 0 ? throw new ArgumentException("divisor must be not zero") : d;
    }

    public static readonly OpOverload AvgPool1d = Def("avg_pool1d(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, bool ceil_mode=False, bool count_include_pad=True) -> Tensor",
        meta: a => new TensorMeta(T0(a).DType, PooledShape("avg_pool1d", T0(a), WindowArgs("avg_pool1d", 1, a[1], a[2], a[3], null, B(a[4])))),
        kernel: a => PoolingKernels.AvgPool(T0(a), WindowArgs("avg_pool1d", 1, a[1], a[2], a[3], null, B(a[4])), B(a[5]), null),
        tags: "core");

    public static readonly OpOverload AvgPool3d = Def("avg_pool3d(Tensor self, int[3] kernel_size, int[3] stride=[], int[3] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None) -> Tensor",
        meta: a =>
        {
            Divisor(a[6]);
            return new TensorMeta(T0(a).DType, PooledShape("avg_pool3d", T0(a), WindowArgs("avg_pool3d", 3, a[1], a[2], a[3], null, B(a[4]))));
        },
        kernel: a => PoolingKernels.AvgPool(T0(a), WindowArgs("avg_pool3d", 3, a[1], a[2], a[3], null, B(a[4])), B(a[5]), Divisor(a[6])),
        tags: "core");

    public static readonly OpOverload AvgPool2dBackward = Def("avg_pool2d_backward(Tensor grad_output, Tensor self, int[2] kernel_size, int[2] stride, int[2] padding, bool ceil_mode, bool count_include_pad, int? divisor_override) -> Tensor",
        meta: a =>
        {
            Divisor(a[7]);
            var self = Tn(a, 1);
            CheckGradShape("avg_pool2d_backward", T0(a), PooledShape("avg_pool2d_backward", self, WindowArgs("avg_pool2d_backward", 2, a[2], a[3], a[4], null, B(a[5]))));
            return new TensorMeta(T0(a).DType, self.Shape.AsArray());
        },
        kernel: a => PoolingKernels.AvgPoolBackward(T0(a), Tn(a, 1), WindowArgs("avg_pool2d_backward", 2, a[2], a[3], a[4], null, B(a[5])), B(a[6]), Divisor(a[7])),
        tags: "core");

    public static readonly OpOverload MaxPool3dWithIndices = Def("max_pool3d_with_indices(Tensor self, int[3] kernel_size, int[3] stride=[], int[3] padding=0, int[3] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)",
        meta: a =>
        {
            var shape = PooledShape("max_pool3d", T0(a), WindowArgs("max_pool3d", 3, a[1], a[2], a[3], a[4], B(a[5])));
            return new[] { new TensorMeta(T0(a).DType, shape), new TensorMeta(DType.Int64, shape) };
        },
        kernel: a => PoolingKernels.MaxPool(T0(a), WindowArgs("max_pool3d", 3, a[1], a[2], a[3], a[4], B(a[5]))),
        tags: "core");

    public static readonly OpOverload MaxPool2dWithIndicesBackward = Def("max_pool2d_with_indices_backward(Tensor grad_output, Tensor self, int[2] kernel_size, int[2] stride, int[2] padding, int[2] dilation, bool ceil_mode, Tensor indices) -> Tensor",
        meta: a =>
        {
            var self = Tn(a, 1);
            CheckGradShape("max_pool2d_with_indices_backward", T0(a), PooledShape("max_pool2d", self, WindowArgs("max_pool2d", 2, a[2], a[3], a[4], a[5], B(a[6]))));
            if (Tn(a, 7).DType != DType.Int64) throw new ArgumentException("max_pool2d_with_indices_backward: indices must be int64");
            return new TensorMeta(T0(a).DType, self.Shape.AsArray());
        },
        kernel: a => PoolingKernels.MaxPoolBackward(T0(a), Tn(a, 1), Tn(a, 7), 2),
        tags: "core");

    private static TensorMeta AdaptiveMeta(string op, Tensor input, SymInt[] size)
    {
        int rank = size.Length;
        if (input.Ndim != rank + 1 && input.Ndim != rank + 2)
            throw new ArgumentException($"{op}(): Expected {rank + 1}D or {rank + 2}D tensor, but got [{string.Join(", ", input.Shape)}]");
        foreach (var s in size)
            if (s.AsConstant is < 0) throw new ArgumentException($"{op}(): output_size must be non-negative, got [{string.Join(", ", size)}]");
        var shape = input.Shape.AsArray().ToArray();
        for (int i = 0; i < rank; i++) shape[input.Ndim - rank + i] = size[i];
        return new TensorMeta(input.DType, shape);
    }

    public static readonly OpOverload AdaptiveAvgPool1d = Def("adaptive_avg_pool1d(Tensor self, int[1] output_size) -> Tensor",
        meta: a => AdaptiveMeta("adaptive_avg_pool1d", T0(a), Ss(a[1])),
        kernel: a => PoolingKernels.AdaptiveAvgPool(T0(a), Ls(a[1])),
        tags: "core");

    public static readonly OpOverload AdaptiveAvgPool3d = Def("_adaptive_avg_pool3d(Tensor self, SymInt[3] output_size) -> Tensor",
        meta: a => AdaptiveMeta("adaptive_avg_pool3d", T0(a), Ss(a[1])),
        kernel: a => PoolingKernels.AdaptiveAvgPool(T0(a), Ls(a[1])),
        tags: "core");

    public static readonly OpOverload AdaptiveAvgPool2dBackward = Def("_adaptive_avg_pool2d_backward(Tensor grad_output, Tensor self) -> Tensor",
        meta: a =>
        {
            Tensor grad = T0(a), self = Tn(a, 1);
            if (grad.Ndim != self.Ndim || self.Ndim is not (3 or 4))
                throw new ArgumentException($"adaptive_avg_pool2d_backward: expected grad_output and self of the same rank (3 or 4), got {grad.Ndim} and {self.Ndim}");
            return new TensorMeta(grad.DType, self.Shape.AsArray());
        },
        kernel: a => PoolingKernels.AdaptiveAvgPoolBackward(T0(a), Tn(a, 1), 2),
        tags: "core");
}
