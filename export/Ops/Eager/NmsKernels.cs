namespace Graphport.Operators;

/// <summary>
/// Greedy non-maximum suppression (torchvision::nms and graphport::non_max_suppression, Aten.Detection.cs): boxes
/// visited by score, highest first (ties by position), each kept unless it overlaps an already kept one by more than
/// the IoU threshold.
/// </summary>
internal static class NmsKernels
{
    /// <summary>A box as (x1, y1, x2, y2).</summary>
    private readonly record struct Box(double X1, double Y1, double X2, double Y2)
    {
        public double Area => (X2 - X1) * (Y2 - Y1);
    }

    /// <summary>torchvision::nms: the kept boxes' indices, by descending score.</summary>
    public static Tensor Torchvision(Tensor dets, Tensor scores, double iouThreshold)
    {
        var boxes = Boxes(Eager.Dense<double>(dets), centerPoint: false, normalize: false);
        var order = ByScore(Eager.Dense<double>(scores), Enumerable.Range(0, boxes.Length));
        var kept = Greedy(boxes, order, iouThreshold, long.MaxValue, TorchvisionIou);
        return Eager.Wrap(kept.Select(k => (long)k).ToArray(), [kept.Count], DType.Int64);
    }

    /// <summary>
    /// ONNX's NonMaxSuppression over boxes [B, S, 4] and scores [B, C, S]: per batch and class, the boxes scoring above
    /// the score threshold, suppressed greedily, at most maxPerClass of them; rows (batch, class, box) in that order.
    /// </summary>
    public static Tensor Onnx(Tensor boxes, Tensor scores, long maxPerClass, double iouThreshold, double? scoreThreshold, bool centerPointBox)
    {
        var b = Eager.Dense<double>(boxes);
        var s = Eager.Dense<double>(scores);
        long batches = scores.Sizes[0], classes = scores.Sizes[1], spatial = scores.Sizes[2];
        var rows = new List<long>();
        for (long n = 0; n < batches; n++)
        {
            var batchBoxes = Boxes(b.AsSpan((int)(n * spatial * 4), (int)(spatial * 4)).ToArray(), centerPointBox, normalize: true);
            for (long c = 0; c < classes; c++)
            {
                var classScores = s.AsSpan((int)((n * classes + c) * spatial), (int)spatial).ToArray();
                var candidates = Enumerable.Range(0, (int)spatial).Where(i => scoreThreshold is not double t || classScores[i] > t);
                foreach (var kept in Greedy(batchBoxes, ByScore(classScores, candidates), iouThreshold, maxPerClass, OnnxIou))
                    rows.AddRange([n, c, kept]);
            }
        }
        return Eager.Wrap(rows.ToArray(), [rows.Count / 3, 3], DType.Int64);
    }

    /// <summary>How many rows graphport::non_max_suppression gives at most: every box of every batch and class, or the cap.</summary>
    public static long MaxRows(long batches, long classes, long spatial, long maxPerClass) => batches * classes * Math.Min(spatial, Math.Max(0, maxPerClass));

    private static Box[] Boxes(double[] flat, bool centerPoint, bool normalize)
    {
        var boxes = new Box[flat.Length / 4];
        for (int i = 0; i < boxes.Length; i++)
        {
            double a = flat[4 * i], b = flat[4 * i + 1], c = flat[4 * i + 2], d = flat[4 * i + 3];
            // ONNX: [y1, x1, y2, x2] with either corner first, or [x_center, y_center, width, height].
            boxes[i] = centerPoint ? new Box(a - c / 2, b - d / 2, a + c / 2, b + d / 2)
                : normalize ? new Box(Math.Min(b, d), Math.Min(a, c), Math.Max(b, d), Math.Max(a, c))
                : new Box(a, b, c, d);
        }
        return boxes;
    }

    private static int[] ByScore(double[] scores, IEnumerable<int> candidates) =>
        candidates.OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();

    private static List<int> Greedy(Box[] boxes, int[] order, double iouThreshold, long limit, Func<Box, Box, double, bool> suppresses)
    {
        var kept = new List<int>();
        foreach (int i in order)
        {
            if (kept.Count >= limit) break;
            if (!kept.Any(k => suppresses(boxes[k], boxes[i], iouThreshold))) kept.Add(i);
        }
        return kept;
    }

    // torchvision: inter / (area_i + area_j − inter) > threshold, areas as given.
    private static bool TorchvisionIou(Box a, Box b, double threshold)
    {
        double w = Math.Max(0, Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1)), h = Math.Max(0, Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1));
        double inter = w * h;
        return inter / (a.Area + b.Area - inter) > threshold;
    }

    // ONNX Runtime: no overlap, or an empty box, never suppresses.
    private static bool OnnxIou(Box a, Box b, double threshold)
    {
        double w = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1), h = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
        if (w <= 0 || h <= 0) return false;
        double inter = w * h, union = a.Area + b.Area - inter;
        if (a.Area <= 0 || b.Area <= 0 || union <= 0) return false;
        return inter / union > threshold;
    }
}
