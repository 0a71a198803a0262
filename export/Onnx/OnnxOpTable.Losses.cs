namespace Graphport.Onnx;

/// <summary>
/// ONNX's losses (opsets 12 and 13, what training exports carry): NegativeLogLikelihoodLoss and
/// SoftmaxCrossEntropyLoss, as torch's nll_loss and cross_entropy record them: a log-softmax over the classes (dim 1)
/// and nll_loss_nd, class weights and ignore_index as ONNX defines them (the weighted mean divides by the weights of
/// the targets counted, as torch's does).
/// </summary>
internal static partial class OnnxOpTable
{
    private static void AddLosses(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["NegativeLogLikelihoodLoss"] = c =>
        {
            var (target, weight, reduction, ignore) = LossOperands(c, "input");
            return One(Call(Aten.NllLossNd, c.Tensor(0), target, weight, reduction, ignore));
        };
        t["SoftmaxCrossEntropyLoss"] = c =>
        {
            var (target, weight, reduction, ignore) = LossOperands(c, "scores");
            var logProbabilities = Call(Aten.LogSoftmaxInt, c.Tensor(0), 1L, null);
            var loss = Call(Aten.NllLossNd, logProbabilities, target, weight, reduction, ignore);
            return c.Node.Outputs.Count > 1 && c.Node.Outputs[1].Length > 0 ? [new TensorValue(loss), new TensorValue(logProbabilities)] : One(loss);
        };
    }

    /// <summary>
    /// The labels as int64 (ONNX allows int32), the optional weights, the reduction's number, and the ignored label:
    /// without ignore_index no label is ignored, which long.MinValue (no int32 label, no valid class) stands for.
    /// </summary>
    private static (Tensor Target, Tensor? Weight, long Reduction, long IgnoreIndex) LossOperands(OnnxNodeContext c, string what)
    {
        var scores = c.Tensor(0);
        if (scores.Ndim < 2) throw c.Fail($"takes {what} of shape (N, C) or (N, C, D1, ...), got {scores.Ndim} dim(s)");
        var target = c.Tensor(1);
        if (target.DType == DType.Int32) target = CallKw(Aten.ToCopy, [target], ("dtype", DType.Int64));
        else if (target.DType != DType.Int64) throw c.Fail($"has labels of {target.DType.TorchName()}; ONNX labels are int32 or int64");
        string reductionName = c.String("reduction", "mean");
        long reduction = reductionName switch
        {
            "none" => LossReduction.None,
            "mean" => LossReduction.Mean,
            "sum" => LossReduction.Sum,
            _ => throw c.Fail($"has reduction \"{reductionName}\"; ONNX defines \"none\", \"mean\" and \"sum\""),
        };
        long ignore = c.Attr("ignore_index") is null ? long.MinValue : c.Int("ignore_index", 0);
        return (target, c.OptionalTensor(2), reduction, ignore);
    }
}
