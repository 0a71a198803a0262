namespace Graphport.Onnx;

/// <summary>
/// NonMaxSuppression (a detector's last step): graphport::non_max_suppression, whose (batch, class, box) rows are as
/// many as the data keeps (an unbacked size, as NonZero's). Its cap and thresholds must be constants of the model.
/// </summary>
internal static partial class OnnxOpTable
{
    private static void AddDetection(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t) => t["NonMaxSuppression"] = NonMaxSuppression;

    private static OnnxValue[] NonMaxSuppression(OnnxNodeContext c)
    {
        var boxes = c.Tensor(0);
        var scores = c.Tensor(1);
        double? Constant(int i, string what)
        {
            if (!c.Has(i)) return null;
            var values = c.ConstantDoubles(i) ?? throw c.Fail($"takes {what} (input {i}) from data; Graphport needs it to be a constant of the model");
            return values.Length == 1 ? values[0] : throw c.Fail($"has {values.Length} values for {what}; ONNX takes one");
        }
        // ONNX: an absent cap selects nothing, as ONNX Runtime does.
        long maxPerClass = (long)(Constant(2, "max_output_boxes_per_class") ?? 0);
        double iou = Constant(3, "iou_threshold") ?? 0;
        double? score = Constant(4, "score_threshold");
        long centerPointBox = c.Int("center_point_box", 0);
        if (centerPointBox is not (0 or 1)) throw c.Fail($"has center_point_box = {centerPointBox}; ONNX defines 0 (corners) and 1 (center, width, height)");
        if (iou is < 0 or > 1) throw c.Fail($"has iou_threshold {iou}; it must lie in [0, 1]");
        return One(Call(Aten.NonMaxSuppression, boxes, scores, maxPerClass, iou, score, centerPointBox == 1));
    }
}
