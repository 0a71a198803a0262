namespace Graphport;

/// <summary>
/// torchvision.ops' operations that detection models call: non-maximum suppression and region-of-interest pooling (align and max),
/// recorded as torch.export records them (torchvision::nms, whose result length is the data's, and
/// torchvision::roi_align, torchvision::roi_pool), so torchvision-made archives load and run.
/// </summary>
public static class Torchvision
{
    /// <summary>
    /// The indices of the boxes ((x1, y1, x2, y2), [N, 4]) greedy suppression keeps, by descending score: a box is
    /// dropped when it overlaps a higher-scoring kept one by an IoU above iouThreshold (torchvision.ops.nms).
    /// </summary>
    public static Tensor Nms(Tensor boxes, Tensor scores, double iouThreshold) => Aten.Call(Aten.TorchvisionNms, boxes, scores, iouThreshold);

    /// <summary>
    /// Nms within each category of idxs (torchvision.ops.batched_nms): boxes of different categories never suppress
    /// each other, as torchvision arranges it, by offsetting each category's boxes past every other's.
    /// </summary>
    public static Tensor BatchedNms(Tensor boxes, Tensor scores, Tensor idxs, double iouThreshold)
    {
        if (boxes.Ndim != 2 || idxs.Ndim != 1)
            throw new ArgumentException($"batched_nms: boxes must be [N, 4] and idxs [N], got {boxes.Shape} and {idxs.Shape}", nameof(idxs));
        if (boxes.Shape[0].AsConstant == 0) return Torch.Zeros([0], DType.Int64);
        var offsets = idxs.To(boxes.DType) * (boxes.Max() + Torch.ScalarTensor(1L).To(boxes.DType));
        return Nms(boxes + offsets.Unsqueeze(1), scores, iouThreshold);
    }

    /// <summary>
    /// Each region of interest (rows of rois: image index, x1, y1, x2, y2 in the input's coordinates before
    /// spatialScale) pooled to outputHeight × outputWidth bins of bilinear samples (torchvision.ops.roi_align: Mask
    /// R-CNN's and Faster R-CNN's region features); samplingRatio samples per bin axis, adaptive when 0 or less;
    /// aligned shifts by half a pixel, as torchvision's aligned=True.
    /// </summary>
    public static Tensor RoiAlign(Tensor input, Tensor rois, long outputHeight, long outputWidth, double spatialScale = 1.0, long samplingRatio = -1, bool aligned = false) =>
        Aten.Call(Aten.TorchvisionRoiAlign, input, rois, spatialScale, outputHeight, outputWidth, samplingRatio, aligned);

    /// <summary>
    /// Each region of interest (rows of rois: image index, x1, y1, x2, y2) pooled to outputHeight × outputWidth bins by
    /// their maxima (torchvision.ops.roi_pool: Fast R-CNN's region pooling); corners are rounded to pixels after
    /// spatialScale, an empty bin gives 0.
    /// </summary>
    public static Tensor RoiPool(Tensor input, Tensor rois, long outputHeight, long outputWidth, double spatialScale = 1.0) =>
        Aten.CallMulti(Aten.TorchvisionRoiPool, input, rois, spatialScale, outputHeight, outputWidth)[0];
}
