using Graphport.Cpu;
using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// x·Scale + Shift written as a run of adds, subs, muls and divs by numbers after a node, each read only by the next
/// (PaddleOCR's learnable affine blocks after its convolutions): what a frozen module folds into the convolution's
/// weight and bias, as it folds a batch norm. Composed in float64.
/// </summary>
internal sealed record ScalarAffine(double Scale, double Shift, IReadOnlyList<Node> Nodes)
{
    /// <summary>The affine run that reads <paramref name="start"/>'s value, or null when its only user starts none.</summary>
    public static ScalarAffine? After(Node start)
    {
        double scale = 1, shift = 0;
        var nodes = new List<Node>();
        var current = start;
        while (current.Users is [var user] && PointwiseChain.LinkAt(user) is { Nodes: [_] } link && ReferenceEquals(link.Input, current)
               && link.Step.Kind is PointwiseStep.Kinds.Add or PointwiseStep.Kinds.Multiply or PointwiseStep.Kinds.Divide)
        {
            switch (link.Step.Kind)
            {
                case PointwiseStep.Kinds.Add: shift += link.Step.Value; break;
                case PointwiseStep.Kinds.Multiply: (scale, shift) = (scale * link.Step.Value, shift * link.Step.Value); break;
                default: (scale, shift) = (scale / link.Step.Value, shift / link.Step.Value); break;
            }
            nodes.Add(user);
            current = user;
        }
        return nodes.Count == 0 ? null : new ScalarAffine(scale, shift, nodes);
    }

    /// <summary>A convolution's weight and bias (null: zeros) with this affine applied to its output folded in.</summary>
    public (Tensor Weight, Tensor Bias) Fold(Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(weight);
        long cout = weight.Shape[0].Hint;
        var folded = (weight.To(DType.Float64) * Scale).To(weight.DType).Contiguous();
        var shifted = (bias?.To(DType.Float64) ?? Torch.Zeros(cout).To(DType.Float64)) * Scale + Shift;
        return (folded, shifted.To(weight.DType).Contiguous());
    }
}
