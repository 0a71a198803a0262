using System.Text.Json.Nodes;

namespace Graphport.Tests.Interop;

/// <summary>
/// The multi-class margin losses, the triplet loss over any distance, InstanceNorm1d/2d/3d (affine, running
/// statistics tracked in training and used in eval, unbatched input), the legacy
/// upsampling layers, SyncBatchNorm (one process) and feature alpha dropout compute what PyTorch 2.14 computes on random inputs, eagerly and
/// exported; their reprs are torch's.
/// </summary>
public class MarginAndInstanceLayersTorchTests
{
    private const string Script = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        nn = torch.nn
        F = torch.nn.functional
        scores = torch.randn(6, 5)
        classes = torch.randint(0, 5, (6,))
        labels = torch.full((6, 5), -1, dtype=torch.long)
        for n in range(6):
            k = int(torch.randint(0, 6, ()))
            labels[n, :k] = torch.randperm(5)[:k]
        weight = torch.rand(5) + 0.5
        anchor, positive, negative = torch.randn(7, 8), torch.randn(7, 8), torch.randn(7, 8)
        out = {"scores": scores, "classes": classes, "labels": labels, "weight": weight,
               "anchor": anchor, "positive": positive, "negative": negative}
        out["mm"] = nn.MultiMarginLoss()(scores, classes)
        out["mm_p2"] = nn.MultiMarginLoss(p=2, margin=0.7, weight=weight, reduction="none")(scores, classes)
        out["mm_sum"] = F.multi_margin_loss(scores, classes, margin=2.0, reduction="sum")
        out["mm_one"] = F.multi_margin_loss(scores[0], classes[0], reduction="none")
        out["ml"] = nn.MultiLabelMarginLoss()(scores, labels)
        out["ml_none"] = F.multilabel_margin_loss(scores, labels, reduction="none")
        out["ml_one"] = F.multilabel_margin_loss(scores[1], labels[1], reduction="sum")
        out["tm"] = nn.TripletMarginWithDistanceLoss()(anchor, positive, negative)
        cosine = lambda a, b: 1.0 - F.cosine_similarity(a, b)
        out["tm_cos"] = nn.TripletMarginWithDistanceLoss(distance_function=cosine, margin=0.4, swap=True, reduction="none")(anchor, positive, negative)
        out["tm_sum"] = F.triplet_margin_with_distance_loss(anchor, positive, negative, margin=2.5, reduction="sum")

        signal, image, volume = torch.randn(4, 3, 9), torch.randn(3, 4, 6, 5) * 2 + 1, torch.randn(2, 2, 4, 3, 5)
        out.update(signal=signal, image=image, volume=volume)
        n1 = nn.InstanceNorm1d(3, affine=True)
        with torch.no_grad():
            n1.weight.uniform_(0.5, 1.5)
            n1.bias.uniform_(-0.5, 0.5)
        out["n1_weight"], out["n1_bias"] = n1.weight, n1.bias
        out["in1"] = n1(signal)
        out["in1_unbatched"] = n1(signal[0])
        n2 = nn.InstanceNorm2d(4, momentum=0.3, track_running_stats=True)
        n2.train()
        out["in2_train"] = n2(image)
        n2(image * 0.5 - 1)
        out["in2_mean"], out["in2_var"] = n2.running_mean, n2.running_var
        n2.eval()
        out["in2_eval"] = n2(image)
        n3 = nn.InstanceNorm3d(2, momentum=0.6, track_running_stats=True)
        n3(volume)
        n3(volume * 3)
        out["in3_mean"], out["in3_var"] = n3.running_mean, n3.running_var
        n3.eval()
        out["in3_eval"] = n3(volume)
        sbn = nn.SyncBatchNorm(4)
        with torch.no_grad():
            sbn.running_mean.uniform_(-1, 1)
            sbn.running_var.uniform_(0.5, 2)
            sbn.weight.uniform_(0.5, 1.5)
        sbn.eval()
        out.update({"sbn_" + k.replace(".", "_"): v for k, v in sbn.state_dict().items()})
        out["sbn"] = sbn(image)
        out["up_nearest"] = nn.UpsamplingNearest2d(size=(9, 7))(image)
        out["up_bilinear"] = nn.UpsamplingBilinear2d(scale_factor=2)(image)
        from graphport_results import save
        save(out)
        """;

    private static Tensor T(JsonNode node) => TorchScriptJson.Tensor(node);

    private static Tensor CosineDistance(Tensor a, Tensor b) => 1.0 - Functional.CosineSimilarity(a, b);

    [Fact]
    public void Margin_losses_and_the_triplet_loss_over_any_distance_compute_what_torch_computes()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(Script, seed);
        void Check(string key, Tensor actual) => NnLayersTorchTests.CloseToTorch(json, key, actual, seed);
        Tensor scores = T(json["scores"]!), classes = T(json["classes"]!), labels = T(json["labels"]!), weight = T(json["weight"]!);
        Tensor anchor = T(json["anchor"]!), positive = T(json["positive"]!), negative = T(json["negative"]!);

        Check("mm", new MultiMarginLoss().Call(scores, classes));
        var weighted = new MultiMarginLoss(p: 2, margin: 0.7, weight: weight, reduction: "none");
        Check("mm_p2", weighted.Call(scores, classes));
        Assert.Equal(["weight"], weighted.StateDict().Keys);
        Check("mm_sum", Functional.MultiMarginLoss(scores, classes, margin: 2.0, reduction: "sum"));
        Check("mm_one", Functional.MultiMarginLoss(scores[0], classes[0], reduction: "none"));
        Check("ml", new MultiLabelMarginLoss().Call(scores, labels));
        Check("ml_none", Functional.MultilabelMarginLoss(scores, labels, "none"));
        Check("ml_one", Functional.MultilabelMarginLoss(scores[1], labels[1], "sum"));
        Check("tm", new TripletMarginWithDistanceLoss().Call(anchor, positive, negative));
        Check("tm_cos", new TripletMarginWithDistanceLoss(CosineDistance, margin: 0.4, swap: true, reduction: "none").Call(anchor, positive, negative));
        Check("tm_sum", Functional.TripletMarginWithDistanceLoss(anchor, positive, negative, margin: 2.5, reduction: "sum"));

        // Exported with a dynamic batch and decomposed to Core ATen, the losses compute the same.
        var batch = new Dim("batch", min: 2, max: 64);
        var multi = Torch.Export(weighted, [scores, classes], dynamicShapes: new() { ["input"] = new() { [0] = batch }, ["target"] = new() { [0] = batch } });
        Check("mm_p2", multi.Module().Call(scores, classes));
        Check("mm_p2", multi.RunDecompositions().Module().Call(scores, classes));
        var multilabel = Torch.Export(new MultiLabelMarginLoss(), [scores, labels], dynamicShapes: new() { ["input"] = new() { [0] = batch }, ["target"] = new() { [0] = batch } });
        Check("ml", multilabel.RunDecompositions().Module().Call(scores, labels));
        var triplet = Torch.Export(new TripletMarginWithDistanceLoss(CosineDistance, margin: 0.4, swap: true, reduction: "none"), [anchor, positive, negative]);
        Check("tm_cos", triplet.RunDecompositions().Module().Call(anchor, positive, negative));

        // An empty batch's mean is NaN and its sum 0 (torch's CPU kernels return uninitialized memory there).
        var none = Torch.Zeros(0, 5);
        Assert.True(double.IsNaN(Functional.MultiMarginLoss(none, Torch.Zeros([0], DType.Int64)).Item<double>()));
        Assert.Equal(0.0, Functional.MultilabelMarginLoss(none, Torch.Zeros([0, 5], DType.Int64), "sum").Item<double>());

        // torch's checks, with what to do.
        Assert.Contains("Expected target size [6], but got [5]", Assert.Throws<ArgumentException>(() => Functional.MultiMarginLoss(scores, classes[..5])).Message, StringComparison.Ordinal);
        Assert.Contains("target 9 is out of range", Assert.ThrowsAny<ArgumentException>(() => Functional.MultiMarginLoss(scores[..1], Tensor.FromArray(new long[] { 9 }, 1))).Message, StringComparison.Ordinal);
        Assert.Contains("only p == 1 and p == 2", Assert.Throws<ArgumentException>(() => new MultiMarginLoss(p: 3)).Message, StringComparison.Ordinal);
        Assert.Contains("inconsistent target size: [6, 4] for input of size: [6, 5]", Assert.Throws<ArgumentException>(() => Functional.MultilabelMarginLoss(scores, labels[.., ..4])).Message, StringComparison.Ordinal);
        Assert.Contains("expected scalar type Long but found Int", Assert.Throws<ArgumentException>(() => Functional.MultilabelMarginLoss(scores, labels.To(DType.Int32))).Message, StringComparison.Ordinal);
        Assert.Contains("expected margin to be greater than 0", Assert.Throws<ArgumentException>(() => new TripletMarginWithDistanceLoss(margin: 0)).Message, StringComparison.Ordinal);

        // torch's reprs: the default distance is the child "distance_function".
        Assert.Equal("TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()\n)", new TripletMarginWithDistanceLoss().ToString());
        Assert.Equal("MultiMarginLoss()", weighted.ToString());
        Assert.Equal("MultiLabelMarginLoss()", new MultiLabelMarginLoss().ToString());
    }

    [Fact]
    public void Instance_norms_track_running_statistics_as_torch_does_and_the_upsampling_layers_agree()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(Script, seed);
        void Check(string key, Tensor actual) => NnLayersTorchTests.CloseToTorch(json, key, actual, seed);
        Tensor signal = T(json["signal"]!), image = T(json["image"]!), volume = T(json["volume"]!);

        var n1 = new InstanceNorm1d(3, affine: true);
        n1.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = T(json["n1_weight"]!), ["bias"] = T(json["n1_bias"]!) });
        Check("in1", n1.Call(signal));
        Check("in1_unbatched", n1.Call(signal[0]));
        var exported = Torch.Export(n1, [signal], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch", min: 2, max: 64), [2] = new Dim("length", min: 2, max: 512) } });
        Check("in1", exported.RunDecompositions().Module().Call(signal));

        var n2 = new InstanceNorm2d(4, momentum: 0.3, trackRunningStats: true);
        Check("in2_train", n2.Call(image));
        n2.Call(image * 0.5 - 1.0);
        Check("in2_mean", n2.RunningMean!);
        Check("in2_var", n2.RunningVar!);
        n2.Eval();
        Check("in2_eval", n2.Call(image));
        Check("in2_eval", Torch.Export(n2, [image]).Module().Call(image));

        var n3 = new InstanceNorm3d(2, momentum: 0.6, trackRunningStats: true);
        n3.Call(volume);
        n3.Call(volume * 3.0);
        Check("in3_mean", n3.RunningMean!);
        Check("in3_var", n3.RunningVar!);
        n3.Eval();
        Check("in3_eval", n3.Call(volume));
        // torch blends with a null momentum as with 0: the statistics stay where they started.
        var still = new InstanceNorm3d(2, momentum: null, trackRunningStats: true);
        still.Call(volume);
        Assert.Equal(0.0, still.RunningMean!.Abs().Max().Item<double>());
        Assert.Equal(0L, still.StateDict()["num_batches_tracked"].Item<long>());

        // In training an exported instance norm updates its buffers: a buffer mutation, as torch records it.
        var training = new InstanceNorm2d(4, momentum: 0.3, trackRunningStats: true);
        var program = Torch.Export(training, [image]);
        Assert.Contains(program.GraphSignature.OutputSpecs, spec => spec.Kind == OutputKind.BufferMutation && spec.Target == "running_mean");
        Check("in2_train", program.Module().Call(image));

        // SyncBatchNorm in one process is BatchNorm over dim 1, loading torch's state by its names.
        var sync = new SyncBatchNorm(4);
        sync.LoadStateDict(sync.StateDict().Keys.ToDictionary(k => k, k => T(json["sbn_" + k]!)));
        sync.Eval();
        Check("sbn", sync.Call(image));
        Assert.Equal("SyncBatchNorm(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", sync.ToString());
        Check("up_nearest", new UpsamplingNearest2d([9, 7]).Call(image));
        Check("up_bilinear", new UpsamplingBilinear2d(2.0).Call(image));

        Assert.Equal("InstanceNorm2d(4, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=False)", new InstanceNorm2d(4).ToString());
        Assert.Equal("InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)", new InstanceNorm1d(3, affine: true, trackRunningStats: true).ToString());
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], n2.StateDict().Keys);
        Assert.Equal("UpsamplingBilinear2d(scale_factor=2.0, mode='bilinear')", new UpsamplingBilinear2d(2.0).ToString());
        Assert.Equal("UpsamplingNearest2d(size=(3, 4), mode='nearest')", new UpsamplingNearest2d([3, 4]).ToString());
        Assert.Contains("expected input's size at dim=1 to match num_features (3), but got: 5.",
            Assert.Throws<ArgumentException>(() => n1.Call(Torch.Randn(2, 5, 4))).Message, StringComparison.Ordinal);
        Assert.Contains("expected 3D or 4D input (got 2D input)", Assert.Throws<ArgumentException>(() => n2.Call(Torch.Randn(2, 5))).Message, StringComparison.Ordinal);

        // Feature alpha dropout sets whole channels to one value and keeps mean 0 and variance 1; eval is the identity.
        Torch.ManualSeed((ulong)seed);
        var normal = Torch.Randn(64, 40, 8, 8);
        var dropout = new FeatureAlphaDropout(0.25);
        var dropped = dropout.Call(normal);
        Assert.InRange(dropped.Mean().Item<double>(), -0.05, 0.05);
        Assert.InRange(dropped.Std().Item<double>(), 0.95, 1.05);
        var spread = dropped.Flatten(2).Amax(2) - dropped.Flatten(2).Amin(2);
        double constantChannels = (spread == 0.0).To(DType.Float64).Mean().Item<double>();
        Assert.InRange(constantChannels, 0.18, 0.32);
        dropout.Eval();
        Assert.True((dropout.Call(normal) == normal).All().Item<bool>());
        Assert.Equal("FeatureAlphaDropout(p=0.25, inplace=False)", dropout.ToString());
    }
}
