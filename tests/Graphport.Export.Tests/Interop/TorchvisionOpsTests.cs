using System.Text.Json.Nodes;

namespace Graphport.Tests.Interop;

/// <summary>
/// Non-maximum suppression as torchvision computes it (torchvision.ops.nms and batched_nms) on random, heavily
/// overlapping boxes at several thresholds; exported, its result length is an unbacked size that the boxes it picks
/// follow. Region-of-interest pooling (torchvision.ops.roi_align) over regions inside, across and beyond the feature
/// map, aligned or not, with fixed and adaptive sampling, and max pooling of regions (roi_pool), in float32 and float64.
/// </summary>
public class TorchvisionOpsTests
{
    private const string Script = """
        import json, sys, torch, torchvision
        torch.manual_seed(int(sys.argv[2]))
        corners = torch.rand(60, 2) * 20
        boxes = torch.cat([corners, corners + torch.rand(60, 2) * 8 + 0.5], 1)
        scores = torch.rand(60)
        scores[7] = scores[3]
        categories = torch.randint(0, 4, (60,))
        out = {"boxes": boxes, "scores": scores, "categories": categories}
        for t in (0.0, 0.3, 0.5, 0.9):
            out[f"nms_{t}"] = torchvision.ops.nms(boxes, scores, t)
            out[f"batched_{t}"] = torchvision.ops.batched_nms(boxes, scores, categories, t)
        from graphport_results import save
        save(out)
        """;

    private static Tensor T(JsonNode node) => TorchScriptJson.Tensor(node);

    private sealed class Detector : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor boxes, Tensor scores) => boxes[Torchvision.Nms(boxes, scores, 0.5)];
    }

    [Fact]
    public void Nms_keeps_the_boxes_torchvision_keeps_in_its_order()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(Script, seed);
        Tensor boxes = T(json["boxes"]!), scores = T(json["scores"]!), categories = T(json["categories"]!);
        foreach (var threshold in new[] { 0.0, 0.3, 0.5, 0.9 })
        {
            string key = threshold.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture);
            var expected = T(json[$"nms_{key}"]!);
            Assert.Equal(expected.ToArray<long>(), Torchvision.Nms(boxes, scores, threshold).ToArray<long>());
            Assert.Equal(T(json[$"batched_{key}"]!).ToArray<long>(), Torchvision.BatchedNms(boxes, scores, categories, threshold).ToArray<long>());
        }

        // Exported over a dynamic number of boxes, the kept count is unbacked (u0) and the picked boxes follow it.
        var program = Torch.Export(new Detector(), [boxes, scores], dynamicShapes: new() { ["boxes"] = new() { [0] = new Dim("n", min: 2, max: 4096) }, ["scores"] = new() { [0] = new Dim("n", min: 2, max: 4096) } });
        Assert.Contains("torch.ops.torchvision.nms.default", program.ToString(), StringComparison.Ordinal);
        var kept = program.Module().Call(boxes, scores);
        var expectedBoxes = boxes[T(json["nms_0.5"]!)];
        Assert.Equal(expectedBoxes.Shape.Select(s => (long)s), kept.Shape.Select(s => (long)s));
        Assert.True((kept == expectedBoxes).All().Item<bool>(), $"seed {seed}: the exported program picked other boxes");
        var fewer = program.Module().Call(boxes[..20], scores[..20]);
        Assert.True(fewer.Shape[0].AsConstant <= 20);

        Assert.Contains("boxes should have 4 elements in dimension 1", Assert.Throws<ArgumentException>(() => Torchvision.Nms(boxes[.., ..3], scores, 0.5)).Message, StringComparison.Ordinal);
        Assert.Contains("same number of elements in dimension 0", Assert.Throws<ArgumentException>(() => Torchvision.Nms(boxes, scores[..5], 0.5)).Message, StringComparison.Ordinal);
        Assert.Equal(0L, (long)Torchvision.BatchedNms(Torch.Zeros(0, 4), Torch.Zeros(0), Torch.Zeros([0], DType.Int64), 0.5).Shape[0]);
    }

    private const string RoiScript = """
        import json, sys, torch, torchvision
        torch.manual_seed(int(sys.argv[2]))
        out = {}
        for dtype in (torch.float32, torch.float64):
            name = str(dtype).replace("torch.", "")
            x = torch.randn(2, 3, 12, 10, dtype=dtype)
            corners = torch.rand(7, 2, dtype=dtype) * 24 - 2
            sizes = torch.rand(7, 2, dtype=dtype) * 14
            sizes[0] = 0.3
            rois = torch.cat([torch.tensor([0, 1, 1, 0, 1, 0, 1], dtype=dtype)[:, None], corners, corners + sizes], 1)
            out[f"x_{name}"], out[f"rois_{name}"] = x, rois
            for aligned in (False, True):
                for ratio in (0, 2):
                    out[f"roi_{name}_{aligned}_{ratio}"] = torchvision.ops.roi_align(x, rois, (3, 4), spatial_scale=0.5, sampling_ratio=ratio, aligned=aligned)
            out[f"pool_{name}"], out[f"pool_i_{name}"] = torch.ops.torchvision.roi_pool(x, rois, 0.5, 3, 2)
        def t(v):
            return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": v.detach().flatten().tolist()}
        with open(sys.argv[1], "w") as f:
            json.dump({k: t(v) for k, v in out.items()}, f)
        """;

    [Fact]
    public void Roi_align_pools_each_region_as_torchvision_does()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(RoiScript, seed);
        foreach (var name in new[] { "float32", "float64" })
        {
            Tensor x = T(json[$"x_{name}"]!), rois = T(json[$"rois_{name}"]!);
            foreach (var aligned in new[] { false, true })
                foreach (var ratio in new long[] { 0, 2 })
                {
                    var key = $"roi_{name}_{(aligned ? "True" : "False")}_{ratio}";
                    var expected = T(json[key]!);
                    var actual = Torchvision.RoiAlign(x, rois, 3, 4, spatialScale: 0.5, samplingRatio: ratio, aligned: aligned);
                    Assert.Equal(expected.Shape.Select(s => (long)s), actual.Shape.Select(s => (long)s));
                    double worst = (actual.To(DType.Float64) - expected.To(DType.Float64)).Abs().Max().Item<double>();
                    Assert.True(worst <= 1e-5, $"seed {seed}: {key} differs from torchvision by {worst}");
                }
            // roi_pool: each bin's maximum and where it is, torchvision's to the element.
            var pooled = Torchvision.RoiPool(x, rois, 3, 2, spatialScale: 0.5);
            Assert.True((pooled == T(json[$"pool_{name}"]!)).All().Item<bool>(), $"seed {seed}: roi_pool {name} differs from torchvision");
            var where = Aten.CallMulti(Aten.TorchvisionRoiPool, x, rois, 0.5, 3L, 2L)[1];
            Assert.Equal(T(json[$"pool_i_{name}"]!).ToArray<long>(), where.ToArray<long>());
        }
        var image = Torch.Randn(1, 2, 6, 6);
        Assert.Contains("rois must have shape as Tensor[K, 5]", Assert.Throws<ArgumentException>(() => Torchvision.RoiAlign(image, Torch.Zeros(3, 4), 2, 2)).Message, StringComparison.Ordinal);
        Assert.Contains("region 0 names image 3", Assert.ThrowsAny<ArgumentException>(() => Torchvision.RoiAlign(image, Tensor.FromArray(new float[] { 3, 0, 0, 4, 4 }, 1, 5), 2, 2)).Message, StringComparison.Ordinal);
    }
}
