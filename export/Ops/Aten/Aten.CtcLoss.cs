using Graphport.Operators;

namespace Graphport;

/// <summary>
/// torch.nn.functional.ctc_loss: the connectionist temporal classification loss of per-frame log-probabilities
/// (T, N, C), or (T, C) for one sequence, against label sequences (padded (N, S) or concatenated), each sequence's
/// frames and labels counted by input_lengths and target_lengths. torch's export cannot trace it (its _ctc_loss sizes
/// an output by the longest target, which its fake tensors refuse); here ctc_loss is one node of the graph that stays
/// through RunDecompositions (the forward recursion over frames is a loop no core op expresses), with a static output:
/// (N) for reduction "none", a scalar otherwise.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload CtcLossTensor = Def("ctc_loss.Tensor(Tensor log_probs, Tensor targets, Tensor input_lengths, Tensor target_lengths, int blank=0, int reduction=Mean, bool zero_infinity=False) -> Tensor",
        meta: a => CtcLossMeta(T0(a), Tn(a, 1), L(a[5])),
        kernel: a => CtcLossKernel.Loss(T0(a), Tn(a, 1), CtcLossKernel.Lengths("input_lengths", Tn(a, 2)), CtcLossKernel.Lengths("target_lengths", Tn(a, 3)), L(a[4]), L(a[5]), B(a[6])),
        tags: "no_decomposition");

    public static readonly OpOverload CtcLossIntList = Def("ctc_loss.IntList(Tensor log_probs, Tensor targets, int[] input_lengths, int[] target_lengths, int blank=0, int reduction=Mean, bool zero_infinity=False) -> Tensor",
        meta: a => CtcLossMeta(T0(a), Tn(a, 1), L(a[5])),
        kernel: a => CtcLossKernel.Loss(T0(a), Tn(a, 1), Ls(a[2]), Ls(a[3]), L(a[4]), L(a[5]), B(a[6])),
        tags: "no_decomposition");

    private static TensorMeta CtcLossMeta(Tensor logProbs, Tensor targets, long reduction)
    {
        if (logProbs.Ndim is not (2 or 3))
            throw new ArgumentException($"ctc_loss: log_probs must be (T, N, C) or (T, C) for one sequence, got {logProbs.Ndim}-D");
        if (!logProbs.DType.IsFloatingPoint()) throw new ArgumentException($"ctc_loss: log_probs must be floating point (log_softmax's output), got {logProbs.DType.TorchName()}");
        if (targets.DType is not (DType.Int64 or DType.Int32)) throw new ArgumentException($"ctc_loss: targets must hold class indices as int64 or int32, got {targets.DType.TorchName()}");
        LossReduction.Check(reduction, "ctc_loss");
        SymInt[] shape = reduction == LossReduction.None && logProbs.Ndim == 3 ? [logProbs.Shape[1]] : [];
        return new TensorMeta(logProbs.DType, shape);
    }
}
