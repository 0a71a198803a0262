namespace Graphport;

/// <summary>
/// torchvision.ops' box operations that detection models call: non-maximum suppression, recorded as torch.export
/// records it (torchvision::nms, whose result length is the data's), so torchvision-made archives load and run.
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
}
