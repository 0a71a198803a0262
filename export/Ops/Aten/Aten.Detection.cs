using Graphport.Operators;
using Graphport.Shapes;

namespace Graphport;

/// <summary>
/// Detection ops torchvision and ONNX define: roi_align and roi_pool (torchvision::roi_align: bilinear samples averaged
/// over each bin of each region; roi_pool: each bin's maximum; export/Ops/Eager/RoiAlignKernels.cs) and non-maximum suppression, whose result size is the data's: torchvision::nms (what torch.export records for
/// torchvision.ops.nms and batched_nms; boxes (x1, y1, x2, y2), the kept indices by descending score) and
/// graphport::non_max_suppression (ONNX's NonMaxSuppression: per batch and class, (batch, class, box) rows). Traced,
/// each result's length is a new unbacked size; the kernels are export/Ops/Eager/NmsKernels.cs. None is an aten op
/// (no decomposition): the CUDA backend runs roi_align and roi_pool as host steps and, sizing its buffers before a call, refuses
/// the suppressions' data-decided sizes by name, as it refuses nonzero's.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload TorchvisionNms = Def("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
        meta: a =>
        {
            Tensor dets = T0(a), scores = Tn(a, 1);
            if (dets.Ndim != 2) throw new ArgumentException($"boxes should be a 2d tensor, got {dets.Ndim}D");
            if (dets.Shape[1].AsConstant != 4) throw new ArgumentException($"boxes should have 4 elements in dimension 1, got {dets.Shape[1]}");
            if (scores.Ndim != 1) throw new ArgumentException($"scores should be a 1d tensor, got {scores.Ndim}D");
            if (!dets.Shape[0].Equals(scores.Shape[0]))
                throw new ArgumentException($"boxes and scores should have same number of elements in dimension 0, got {dets.Shape[0]} and {scores.Shape[0]}");
            if (!dets.DType.IsFloatingPoint() || scores.DType != dets.DType)
                throw new ArgumentException($"boxes and scores should be floating point of one dtype, got {dets.DType.TorchName()} and {scores.DType.TorchName()}");
            if (!dets.IsFake && !scores.IsFake) return new TensorMeta(DType.Int64, [NmsKernels.Torchvision(dets, scores, D(a[2])).Sizes[0]]);
            var kept = TracingShapeEnv("nms").CreateUnbackedSymbol("torchvision::nms()", new ValueRange(0, dets.Shape[0].AsConstant ?? ValueRange.Infinity));
            return new TensorMeta(DType.Int64, [kept]);
        },
        kernel: a => NmsKernels.Torchvision(T0(a), Tn(a, 1), D(a[2])),
        ns: "torchvision");

    public static readonly OpOverload NonMaxSuppression = Def("non_max_suppression(Tensor boxes, Tensor scores, int max_output_boxes_per_class, float iou_threshold, float? score_threshold, bool center_point_box) -> Tensor",
        meta: a =>
        {
            Tensor boxes = T0(a), scores = Tn(a, 1);
            if (boxes.Ndim != 3 || boxes.Shape[2].AsConstant != 4)
                throw new ArgumentException($"non_max_suppression: boxes must be [batches, boxes, 4], got {boxes.Shape}");
            if (scores.Ndim != 3 || !scores.Shape[0].Equals(boxes.Shape[0]) || !scores.Shape[2].Equals(boxes.Shape[1]))
                throw new ArgumentException($"non_max_suppression: scores must be [batches, classes, boxes] = [{boxes.Shape[0]}, classes, {boxes.Shape[1]}], got {scores.Shape}");
            if (!boxes.DType.IsFloatingPoint() || !scores.DType.IsFloatingPoint())
                throw new ArgumentException($"non_max_suppression: boxes and scores must be floating point, got {boxes.DType.TorchName()} and {scores.DType.TorchName()}");
            if (!boxes.IsFake && !scores.IsFake)
                return new TensorMeta(DType.Int64, [NmsKernels.Onnx(boxes, scores, L(a[2]), D(a[3]), a[4] is null ? null : D(a[4]), B(a[5])).Sizes[0], 3]);
            long? most = scores.Shape.All(s => s.AsConstant is not null)
                ? NmsKernels.MaxRows((long)scores.Shape[0], (long)scores.Shape[1], (long)scores.Shape[2], L(a[2])) : null;
            var rows = TracingShapeEnv("non_max_suppression").CreateUnbackedSymbol("non_max_suppression()", new ValueRange(0, most ?? ValueRange.Infinity));
            return new TensorMeta(DType.Int64, [rows, 3]);
        },
        kernel: a => NmsKernels.Onnx(T0(a), Tn(a, 1), L(a[2]), D(a[3]), a[4] is null ? null : D(a[4]), B(a[5])),
        ns: "graphport");

    public static readonly OpOverload TorchvisionRoiAlign = Def("roi_align(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, SymInt pooled_width, int sampling_ratio, bool aligned) -> Tensor",
        meta: a => RegionPoolMeta("roi_align", a),
        kernel: a => RoiAlignKernels.RoiAlign(T0(a), Tn(a, 1), D(a[2]), L(a[3]), L(a[4]), L(a[5]), B(a[6])),
        ns: "torchvision");

    public static readonly OpOverload TorchvisionRoiPool = Def("roi_pool(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, SymInt pooled_width) -> (Tensor, Tensor)",
        meta: a =>
        {
            var pooled = RegionPoolMeta("roi_pool", a);
            return new[] { pooled, new TensorMeta(DType.Int64, pooled.Shape) };
        },
        kernel: a => RoiAlignKernels.RoiPool(T0(a), Tn(a, 1), D(a[2]), L(a[3]), L(a[4])),
        ns: "torchvision");

    /// <summary>roi_align's and roi_pool's checks; the result is [regions, channels, pooled_height, pooled_width].</summary>
    private static TensorMeta RegionPoolMeta(string op, object?[] a)
    {
        Tensor input = T0(a), rois = Tn(a, 1);
        if (input.Ndim != 4) throw new ArgumentException($"{op}: input must be a batch of feature maps [N, C, H, W], got {input.Shape}");
        if (rois.Ndim != 2 || rois.Shape[1].AsConstant != 5)
            throw new ArgumentException($"rois must have shape as Tensor[K, 5] (image index, x1, y1, x2, y2), got {rois.Shape}");
        if (!input.DType.IsFloatingPoint() || rois.DType != input.DType)
            throw new ArgumentException($"{op}: input and rois must be floating point of one dtype, got {input.DType.TorchName()} and {rois.DType.TorchName()}");
        if (S(a[3]).AsConstant is <= 0 || S(a[4]).AsConstant is <= 0)
            throw new ArgumentException($"{op}: the output size must be positive, got ({S(a[3])}, {S(a[4])})");
        return new TensorMeta(input.DType, [rois.Shape[0], input.Shape[1], S(a[3]), S(a[4])]);
    }
}
