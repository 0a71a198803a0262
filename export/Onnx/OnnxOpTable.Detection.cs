namespace Graphport.Onnx;

/// <summary>
/// RoiAlign and MaxRoiPool (torchvision::roi_align and roi_pool) and NonMaxSuppression (a detector's last step): graphport::non_max_suppression, whose (batch, class, box) rows are as
/// many as the data keeps (an unbacked size, as NonZero's). Its cap and thresholds must be constants of the model.
/// </summary>
internal static partial class OnnxOpTable
{
    private static void AddDetection(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["NonMaxSuppression"] = NonMaxSuppression;
        t["RoiAlign"] = RoiAlign;
        t["MaxRoiPool"] = c =>
        {
            var pooled = c.Ints("pooled_shape") is [var h, var w] ? (h, w) : throw c.Fail("has no pooled_shape of two sizes, which MaxRoiPool requires");
            return One(Aten.CallMulti(Aten.TorchvisionRoiPool, c.Tensor(0), c.Tensor(1), (double)c.Float("spatial_scale", 1f), pooled.h, pooled.w)[0]);
        };
    }

    /// <summary>
    /// RoiAlign in avg mode as torchvision::roi_align over rows (batch index, x1, y1, x2, y2): half_pixel (opset 16's
    /// default) is torchvision's aligned=True, output_half_pixel (opset 10's behaviour) aligned=False.
    /// </summary>
    private static OnnxValue[] RoiAlign(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        var rois = c.Tensor(1);
        var batchIndices = c.Tensor(2);
        string mode = c.String("mode", "avg");
        if (mode != "avg") throw c.Fail($"uses mode '{mode}'; Graphport imports RoiAlign's avg mode (torchvision's roi_align), not ONNX Runtime's max of weighted corners");
        string transform = c.String("coordinate_transformation_mode", c.Opset >= 16 ? "half_pixel" : "output_half_pixel");
        if (transform is not ("half_pixel" or "output_half_pixel"))
            throw c.Fail($"has coordinate_transformation_mode '{transform}'; ONNX defines half_pixel and output_half_pixel");
        if (rois.Ndim != 2 || rois.Shape[1].AsConstant != 4 || batchIndices.Ndim != 1)
            throw c.Fail($"takes rois of shape {rois.Shape} and batch_indices of shape {batchIndices.Shape}; expected [num_rois, 4] and [num_rois]");
        var indices = CallKw(Aten.ToCopy, [Call(Aten.Unsqueeze, batchIndices, 1L)], ("dtype", rois.DType));
        var regions = Call(Aten.Cat, new[] { indices, rois }, 1L);
        return One(Call(Aten.TorchvisionRoiAlign, x, regions, (double)c.Float("spatial_scale", 1f), c.Int("output_height", 1), c.Int("output_width", 1),
            c.Int("sampling_ratio", 0), transform == "half_pixel"));
    }

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
