using System.Numerics;
using Graphport.Cpu;
using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The backward ops of embedding and convolution that the Core ATen opset lists (training graphs contain them).
/// As in Aten.CoreNormalization.cs, an output turned off by output_mask is an empty tensor.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload EmbeddingDenseBackward = Def("embedding_dense_backward(Tensor grad_output, Tensor indices, SymInt num_weights, SymInt padding_idx, bool scale_grad_by_freq) -> Tensor", meta: a =>
    {
        Tensor grad = T0(a), indices = Tn(a, 1);
        if (indices.DType is not (DType.Int64 or DType.Int32))
            throw new ArgumentException($"embedding_backward: indices must be Long or Int, got {DTypeNames.Capitalized(indices.DType)}");
        if (grad.Ndim == 0) throw new ArgumentException("embedding_backward: grad_output must have at least one dimension");
        return new TensorMeta(grad.DType, [S(a[2]), grad.Shape[^1]]);
    }, kernel: EmbeddingDenseBackwardKernel, tags: "core");

    /// <summary>grad_weight[i] = Σ of the grad rows whose index is i (divided by i's count with scale_grad_by_freq); padding_idx gets none.</summary>
    private static object? EmbeddingDenseBackwardKernel(object?[] a)
    {
        Tensor grad = T0(a), indicesTensor = Tn(a, 1);
        long rows = L(a[2]), padding = L(a[3]), width = grad.Sizes[^1];
        var g = Eager.Dense<double>(grad);
        var indices = Eager.Dense<long>(indicesTensor);
        var counts = new long[rows];
        foreach (var i in indices)
        {
            if (i < 0 || i >= rows) throw new IndexValueException($"embedding_backward: index {i} is out of bounds for {rows} embeddings");
            counts[i]++;
        }
        var result = new double[rows * width];
        for (long n = 0; n < indices.LongLength; n++)
        {
            long i = indices[n];
            if (i == padding) continue;
            double scale = B(a[4]) ? 1.0 / counts[i] : 1.0;
            for (long j = 0; j < width; j++) result[i * width + j] += g[n * width + j] * scale;
        }
        return Eager.Wrap(result, [rows, width], grad.DType);
    }

    public static readonly OpOverload ConvolutionBackward = Def("convolution_backward(Tensor grad_output, Tensor input, Tensor weight, SymInt[]? bias_sizes, SymInt[] stride, SymInt[] padding, SymInt[] dilation, bool transposed, SymInt[] output_padding, SymInt groups, bool[3] output_mask) -> (Tensor, Tensor, Tensor)", meta: a =>
    {
        Tensor grad = T0(a), input = Tn(a, 1), weight = Tn(a, 2);
        var mask = (bool[])a[10]!;
        if (grad.Ndim != input.Ndim || weight.Ndim != input.Ndim)
            throw new ArgumentException($"convolution_backward: grad_output, input and weight must have the same rank, got {grad.Ndim}, {input.Ndim} and {weight.Ndim}");
        var outChannels = B(a[7]) ? weight.Shape[1] * L(a[9]) : weight.Shape[0];
        var biasShape = a[3] is SymInt[] sizes ? sizes : [outChannels];
        // A gradient output_mask leaves out is None, as in torch.
        return new[]
        {
            mask[0] ? new TensorMeta(input.DType, input.Shape.AsArray()) : null,
            mask[1] ? new TensorMeta(weight.DType, weight.Shape.AsArray()) : null,
            mask[2] ? new TensorMeta(grad.DType, biasShape) : null,
        };
    }, kernel: ConvolutionBackwardKernel, tags: "core");

    private static object? ConvolutionBackwardKernel(object?[] a)
    {
        var input = Tn(a, 1);
        PoolingKernels.RequireFloat("convolution_backward", input);
        return input.DType == DType.Float64 ? ConvolutionBackwardTyped<double>(a) : ConvolutionBackwardTyped<float>(a);
    }

    private static Tensor?[] ConvolutionBackwardTyped<T>(object?[] a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor grad = T0(a), input = Tn(a, 1), weight = Tn(a, 2);
        var mask = (bool[])a[10]!;
        bool transposed = B(a[7]);
        long groups = L(a[9]);
        int rank = input.Ndim - 2;
        long[] PerDim(object? v)
        {
            var l = Ls(v);
            return l.Length == rank ? l : Enumerable.Repeat(l[0], rank).ToArray();
        }
        var geometry = new ConvolutionBackward.Geometry(input.Sizes[2..], grad.Sizes[2..], weight.Sizes[2..], PerDim(a[4]), PerDim(a[5]), PerDim(a[6]));
        var (gradInput, gradWeight) = Cpu.ConvolutionBackward.Compute(Eager.Dense<T>(grad), Eager.Dense<T>(input), Eager.Dense<T>(weight),
            input.Sizes[0], input.Sizes[1], grad.Sizes[1], groups, geometry, transposed, mask[0], mask[1]);
        var meta = (TensorMeta?[])ConvolutionBackward.Meta!(a);
        Tensor? gradBias = null;
        if (meta[2] is { } biasMeta)
        {
            var dims = Enumerable.Range(0, grad.Ndim).Where(d => d != 1).Select(d => (long)d).ToArray();
            gradBias = Call(View, Call(SumDim, grad, dims), biasMeta.Shape);
        }
        return
        [
            gradInput is null ? null : Eager.Wrap(gradInput, input.Sizes, input.DType),
            gradWeight is null ? null : Eager.Wrap(gradWeight, weight.Sizes, weight.DType),
            gradBias,
        ];
    }
}
