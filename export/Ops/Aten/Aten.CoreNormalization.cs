using Graphport.Operators;
using Graphport.Tracing;

namespace Graphport;

/// <summary>
/// Core ATen normalization and dropout ops: batch norm with batch statistics (_native_batch_norm_legit, which
/// updates the running statistics in place, and .no_stats), native_dropout, and the layer/group norm backward ops.
/// An output a backward op's output_mask turns off is an empty (size-0) tensor here, where torch returns None.
/// </summary>
internal static partial class Aten
{
    private static TensorMeta[] BatchNormLegitMeta(Tensor input, bool withStats, params (Tensor? T, string Name)[] perChannel)
    {
        if (input.Ndim < 2) throw new ArgumentException($"batch_norm: expected input with at least 2 dimensions (N, C, ...), got {input.Ndim}");
        var c = input.Shape[1];
        foreach (var (t, name) in perChannel)
            if (t is not null && !(bool)(t.Numel() == c))
                throw new ArgumentException($"batch_norm: {name} should contain {c.Hint} elements not {t.Numel().Hint}");
        var stat = NormalizationKernels.StatDType(input.DType);
        SymInt statSize = withStats ? c : 0;
        return [new TensorMeta(input.DType, input.Shape.AsArray()), new TensorMeta(stat, [statSize]), new TensorMeta(stat, [statSize])];
    }

    public static readonly OpOverload BatchNormLegit = Def("_native_batch_norm_legit(Tensor input, Tensor? weight, Tensor? bias, Tensor(a!) running_mean, Tensor(b!) running_var, bool training, float momentum, float eps) -> (Tensor, Tensor, Tensor)",
        meta: a => BatchNormLegitMeta(T0(a), B(a[5]), (a[1] as Tensor, "weight"), (a[2] as Tensor, "bias"), (Tn(a, 3), "running_mean"), (Tn(a, 4), "running_var")),
        kernel: NormalizationKernels.BatchNormLegit, tags: "core");

    /// <summary>
    /// Tracing functionalizes _native_batch_norm_legit by hand, as torch does: the tracer's generic in-place path
    /// handles one written tensor and one output, while this op writes two and returns three. Training records
    /// _native_batch_norm_legit_functional and copies its new running statistics back; eval records _no_training.
    /// </summary>
    private static object? BatchNormLegitFunctionalized(object?[] a)
    {
        if (Tracer.Current is null)
        {
            BatchNormLegit.Meta!(a);
            return BatchNormLegit.Kernel!(a);
        }
        Tensor input = T0(a), runningMean = Tn(a, 3), runningVar = Tn(a, 4);
        if (!B(a[5]))
        {
            var eval = CallMulti(BatchNormNoTraining, input, a[1], a[2], runningMean, runningVar, a[6], a[7]);
            return eval;
        }
        var outs = CallMulti(BatchNormFunctional, input, a[1], a[2], runningMean, runningVar, true, a[6], a[7]);
        runningMean.Copy_(outs[3]);
        runningVar.Copy_(outs[4]);
        return new[] { outs[0], outs[1], outs[2] };
    }

    public static readonly OpOverload BatchNormLegitNoStats = Def("_native_batch_norm_legit.no_stats(Tensor input, Tensor? weight, Tensor? bias, bool training, float momentum, float eps) -> (Tensor, Tensor, Tensor)",
        meta: a => BatchNormLegitMeta(T0(a), true, (a[1] as Tensor, "weight"), (a[2] as Tensor, "bias")),
        kernel: NormalizationKernels.BatchNormNoStats, tags: "core");

    public static readonly OpOverload NativeDropout = Def("native_dropout(Tensor input, float p, bool? train) -> (Tensor, Tensor)", meta: a =>
    {
        double p = D(a[1]);
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        var input = T0(a);
        return new[] { new TensorMeta(input.DType, input.Shape.AsArray()), new TensorMeta(DType.Bool, input.Shape.AsArray()) };
    }, kernel: NormalizationKernels.NativeDropout, tags: "core,nondeterministic_seeded");

    public static readonly OpOverload NativeLayerNormBackward = Def("native_layer_norm_backward(Tensor grad_out, Tensor input, SymInt[] normalized_shape, Tensor mean, Tensor rstd, Tensor? weight, Tensor? bias, bool[3] output_mask) -> (Tensor, Tensor, Tensor)", meta: a =>
    {
        Tensor grad = T0(a), input = Tn(a, 1);
        var mask = (bool[])a[7]!;
        if (grad.Ndim != input.Ndim) throw new ArgumentException($"native_layer_norm_backward: grad_out has {grad.Ndim} dims but input has {input.Ndim}");
        var weight = a[5] as Tensor;
        var bias = a[6] as Tensor;
        // A gradient output_mask leaves out, or of an absent weight or bias, is None, as in torch.
        return new[]
        {
            mask[0] ? new TensorMeta(input.DType, input.Shape.AsArray()) : null,
            mask[1] && weight is not null ? new TensorMeta(weight.DType, weight.Shape.AsArray()) : null,
            mask[2] && bias is not null ? new TensorMeta(bias.DType, bias.Shape.AsArray()) : null,
        };
    }, kernel: NormalizationKernels.LayerNormBackward, tags: "core");

    public static readonly OpOverload NativeGroupNormBackward = Def("native_group_norm_backward(Tensor grad_out, Tensor input, Tensor mean, Tensor rstd, Tensor? weight, SymInt N, SymInt C, SymInt HxW, int group, bool[3] output_mask) -> (Tensor, Tensor, Tensor)", meta: a =>
    {
        Tensor input = Tn(a, 1);
        var mask = (bool[])a[9]!;
        long groups = L(a[8]);
        if (!(S(a[6]) % groups == 0))
            throw new ArgumentException($"Expected number of channels in input to be divisible by num_groups, but got input of shape [{string.Join(", ", input.Shape)}] and num_groups={groups}");
        // A gradient output_mask leaves out is None, as in torch.
        return new[]
        {
            mask[0] ? new TensorMeta(input.DType, input.Shape.AsArray()) : null,
            mask[1] ? new TensorMeta(input.DType, [S(a[6])]) : null,
            mask[2] ? new TensorMeta(input.DType, [S(a[6])]) : null,
        };
    }, kernel: NormalizationKernels.GroupNormBackward, tags: "core");
}
