using System.Text.Json.Nodes;

namespace Graphport.Tests.Interop;

/// <summary>
/// torch.nn's whole pooling family in C#, with torch's arguments (a size per dim, stride, padding, dilation, ceil
/// mode, count_include_pad, divisor_override, None in adaptive sizes, return_indices), max unpooling, the adaptive
/// max pools in 1-D and 3-D and the LP pools compute what PyTorch 2.14 computes on random inputs, eagerly, exported
/// with a dynamic batch, and decomposed to Core ATen; the indices are torch's to the element.
/// </summary>
public class PoolingLayersTorchTests
{
    private const string Script = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        nn = torch.nn
        F = torch.nn.functional
        signal = torch.randn(3, 4, 17)
        image = torch.randn(2, 3, 11, 9)
        volume = torch.randn(2, 2, 7, 6, 9)
        out = {"signal": signal, "image": image, "volume": volume}
        v, i = nn.MaxPool1d(3, 2, 1, 2, return_indices=True, ceil_mode=True)(signal)
        out["max1d"], out["max1d_i"] = v, i
        out["unpool1d"] = nn.MaxUnpool1d(3, 2, 1)(v, i, output_size=[16])
        v, i = nn.MaxPool2d((3, 2), (2, 1), (1, 0), (1, 2), return_indices=True)(image)
        out["max2d"], out["max2d_i"] = v, i
        v, i = nn.MaxPool2d((3, 2), (2, 1), (1, 0), return_indices=True)(image)
        out["unpool2d"] = nn.MaxUnpool2d((3, 2), (2, 1), (1, 0))(v, i, output_size=(2, 3, 11, 9))
        v, i = nn.MaxPool2d(2, return_indices=True)(image[:, :, :10, :8])
        out["unpool2d_default"] = nn.MaxUnpool2d(2)(v, i)
        v, i = nn.MaxPool3d((2, 3, 2), (2, 2, 3), (1, 1, 0), return_indices=True, ceil_mode=True)(volume)
        out["max3d"], out["max3d_i"] = v, i
        out["unpool3d"] = nn.MaxUnpool3d((2, 3, 2), (2, 2, 3), (1, 1, 0))(v, i, output_size=(7, 6, 9))
        out["avg1d"] = nn.AvgPool1d(4, 3, 2, ceil_mode=True, count_include_pad=False)(signal)
        out["avg2d"] = nn.AvgPool2d((3, 2), (2, 2), (1, 1), ceil_mode=True, count_include_pad=False)(image)
        out["avg2d_divisor"] = nn.AvgPool2d(3, 2, 1, divisor_override=4)(image)
        out["avg3d"] = nn.AvgPool3d((3, 2, 3), 2, (1, 0, 1), ceil_mode=True, divisor_override=5)(volume)
        v, i = nn.AdaptiveMaxPool1d(5, return_indices=True)(signal)
        out["amax1d"], out["amax1d_i"] = v, i
        v, i = nn.AdaptiveMaxPool3d((3, 4, 5), return_indices=True)(volume)
        out["amax3d"], out["amax3d_i"] = v, i
        v, i = nn.AdaptiveMaxPool3d((7, 3, 3), return_indices=True)(volume)
        out["amax3d_even"], out["amax3d_even_i"] = v, i
        out["amax2d_none"] = nn.AdaptiveMaxPool2d((4, None))(image)
        out["aavg2d_none"] = nn.AdaptiveAvgPool2d((None, 4))(image)
        out["aavg3d_none"] = nn.AdaptiveAvgPool3d((3, None, 2))(volume)
        out["lp1d"] = nn.LPPool1d(3, 4, 2, ceil_mode=True)(signal.abs())
        out["lp2d"] = nn.LPPool2d(1.5, (3, 2))(image.abs())
        out["lp2d_p2"] = nn.LPPool2d(2, 3, 2, ceil_mode=True)(image)
        out["lp3d"] = nn.LPPool3d(2, (2, 3, 3), (1, 2, 2))(volume)
        from graphport_results import save
        save(out)
        """;

    private static Tensor T(JsonNode node) => TorchScriptJson.Tensor(node);

    private static void Same(JsonNode json, string key, Tensor actual, int seed)
    {
        var expected = T(json[key]!);
        Assert.Equal(expected.Shape.Select(s => (long)s), actual.Shape.Select(s => (long)s));
        if (expected.DType == DType.Int64)
        {
            Assert.Equal(DType.Int64, actual.DType);
            Assert.True((expected == actual).All().Item<bool>(), $"seed {seed}: {key} indices differ from torch's");
            return;
        }
        double worst = (actual.To(DType.Float64) - expected.To(DType.Float64)).Abs().Max().Item<double>();
        Assert.True(worst <= 1e-5, $"seed {seed}: {key} differs from torch by {worst}");
    }

    /// <summary>A max pool whose indices feed an unpool, as a segmentation decoder (SegNet) uses them.</summary>
    private sealed class PoolAndUnpool : Module<Tensor, Tensor>
    {
        private readonly MaxPool2d pool = new((3, 2), (2, 1), (1, 0));
        private readonly MaxUnpool2d unpool = new((3, 2), (2, 1), (1, 0));

        public override Tensor Forward(Tensor x)
        {
            var (values, indices) = pool.CallWithIndices(x);
            return unpool.Call(values, indices, [11, 9]);
        }
    }

    private sealed class AdaptiveVolume : Module<Tensor, (Tensor, Tensor)>
    {
        private readonly AdaptiveMaxPool3d pool = new(3, 4, 5);

        public override (Tensor, Tensor) Forward(Tensor x) => pool.CallWithIndices(x);
    }

    [Fact]
    public void Every_pooling_layer_computes_what_torch_computes_with_torchs_arguments_and_indices()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(Script, seed);
        void Check(string key, Tensor actual) => Same(json, key, actual, seed);
        Tensor signal = T(json["signal"]!), image = T(json["image"]!), volume = T(json["volume"]!);

        var (v1, i1) = new MaxPool1d(3, 2, 1, 2, ceilMode: true).CallWithIndices(signal);
        Check("max1d", v1);
        Check("max1d_i", i1);
        Check("unpool1d", new MaxUnpool1d(3, 2, 1).Call(v1, i1, [16]));
        var (v2, i2) = new MaxPool2d((3, 2), (2, 1), (1, 0), (1, 2)).CallWithIndices(image);
        Check("max2d", v2);
        Check("max2d_i", i2);
        Check("max2d", new MaxPool2d((3, 2), (2, 1), (1, 0), (1, 2)).Call(image));
        var (pooled, at) = new MaxPool2d((3, 2), (2, 1), (1, 0)).CallWithIndices(image);
        Check("unpool2d", new MaxUnpool2d((3, 2), (2, 1), (1, 0)).Call(pooled, at, [2, 3, 11, 9]));
        var (half, where) = new MaxPool2d(2).CallWithIndices(image[.., .., ..10, ..8]);
        Check("unpool2d_default", new MaxUnpool2d(2).Call(half, where));
        var (v3, i3) = new MaxPool3d((2, 3, 2), (2, 2, 3), (1, 1, 0), ceilMode: true).CallWithIndices(volume);
        Check("max3d", v3);
        Check("max3d_i", i3);
        Check("unpool3d", new MaxUnpool3d((2, 3, 2), (2, 2, 3), (1, 1, 0)).Call(v3, i3, [7, 6, 9]));

        Check("avg1d", new AvgPool1d(4, 3, 2, ceilMode: true, countIncludePad: false).Call(signal));
        Check("avg2d", new AvgPool2d((3, 2), (2, 2), (1, 1), ceilMode: true, countIncludePad: false).Call(image));
        Check("avg2d_divisor", new AvgPool2d(3, 2, 1, divisorOverride: 4).Call(image));
        Check("avg3d", new AvgPool3d((3, 2, 3), 2, (1, 0, 1), ceilMode: true, divisorOverride: 5).Call(volume));

        var (a1, ai1) = new AdaptiveMaxPool1d(5).CallWithIndices(signal);
        Check("amax1d", a1);
        Check("amax1d_i", ai1);
        var (a3, ai3) = new AdaptiveMaxPool3d(3, 4, 5).CallWithIndices(volume);
        Check("amax3d", a3);
        Check("amax3d_i", ai3);
        var (even, evenIndices) = Functional.AdaptiveMaxPool3d(volume, [7, 3, 3]);
        Check("amax3d_even", even);
        Check("amax3d_even_i", evenIndices);
        Check("amax2d_none", new AdaptiveMaxPool2d(4, null).Call(image));
        Check("aavg2d_none", new AdaptiveAvgPool2d(null, 4).Call(image));
        Check("aavg3d_none", new AdaptiveAvgPool3d(3, null, 2).Call(volume));

        Check("lp1d", new LPPool1d(3, 4, 2, ceilMode: true).Call(signal.Abs()));
        Check("lp2d", new LPPool2d(1.5, (3, 2)).Call(image.Abs()));
        Check("lp2d_p2", new LPPool2d(2, 3, 2, ceilMode: true).Call(image));
        Check("lp3d", new LPPool3d(2, (2, 3, 3), (1, 2, 2)).Call(volume));

        // Exported with a dynamic batch, and decomposed to Core ATen, the programs compute the same.
        var batch = new Dim("batch", min: 1, max: 32);
        var unpooling = Torch.Export(new PoolAndUnpool(), [image], dynamicShapes: new() { ["x"] = new() { [0] = batch } });
        Check("unpool2d", unpooling.Module().Call(image));
        var decomposed = unpooling.RunDecompositions();
        Check("unpool2d", decomposed.Module().Call(image));
        Assert.DoesNotContain("max_unpool2d", decomposed.ToString(), StringComparison.Ordinal);
        var adaptive = Torch.Export(new AdaptiveVolume(), [volume], dynamicShapes: new() { ["x"] = new() { [0] = batch } }).RunDecompositions();
        Assert.DoesNotContain("adaptive_max_pool3d", adaptive.ToString(), StringComparison.Ordinal);
        var (values, indices) = ((Tensor, Tensor))adaptive.Module().Invoke(volume)!;
        Check("amax3d", values);
        Check("amax3d_i", indices);
    }

    private const string FractionalScript = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        F = torch.nn.functional
        out = {}
        for dtype in (torch.float32, torch.float64):
            name = str(dtype).replace("torch.", "")
            image = torch.randn(2, 3, 13, 11, dtype=dtype)
            samples = torch.rand(2, 3, 2, dtype=dtype)
            v, i = F.fractional_max_pool2d(image, (3, 2), output_size=(6, 7), return_indices=True, _random_samples=samples)
            out.update({f"image_{name}": image, f"samples_{name}": samples, f"frac2d_{name}": v, f"frac2d_i_{name}": i})
            volume = torch.randn(2, 2, 7, 9, 8, dtype=dtype)
            samples3 = torch.rand(2, 2, 3, dtype=dtype)
            v, i = F.fractional_max_pool3d(volume, (2, 3, 2), output_size=(4, 5, 3), return_indices=True, _random_samples=samples3)
            out.update({f"volume_{name}": volume, f"samples3_{name}": samples3, f"frac3d_{name}": v, f"frac3d_i_{name}": i})
        image = out["image_float32"]
        one = torch.rand(1, 3, 2)
        out["one"] = one
        v, i = F.fractional_max_pool2d(image[0], 2, output_ratio=(0.5, 0.6), return_indices=True, _random_samples=one)
        out["frac_unbatched"], out["frac_unbatched_i"] = v, i
        def t(v):
            return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": v.detach().flatten().tolist()}
        with open(sys.argv[1], "w") as f:
            json.dump({k: t(v) for k, v in out.items()}, f)
        """;

    private sealed class FractionalWithSamples : Module<Tensor, Tensor, (Tensor, Tensor)>
    {
        public override (Tensor, Tensor) Forward(Tensor x, Tensor samples) => Functional.FractionalMaxPool2d(x, [3, 2], [6, 7], randomSamples: samples);
    }

    [Fact]
    public void Fractional_max_pools_place_their_windows_as_torch_does_from_the_same_samples()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(FractionalScript, seed);
        void Check(string key, Tensor actual) => Same(json, key, actual, seed);
        foreach (var name in new[] { "float32", "float64" })
        {
            Tensor image = T(json[$"image_{name}"]!), samples = T(json[$"samples_{name}"]!);
            var (v2, i2) = Functional.FractionalMaxPool2d(image, [3, 2], [6, 7], randomSamples: samples);
            Check($"frac2d_{name}", v2);
            Check($"frac2d_i_{name}", i2);
            Tensor volume = T(json[$"volume_{name}"]!), samples3 = T(json[$"samples3_{name}"]!);
            var (v3, i3) = Functional.FractionalMaxPool3d(volume, [2, 3, 2], [4, 5, 3], randomSamples: samples3);
            Check($"frac3d_{name}", v3);
            Check($"frac3d_i_{name}", i3);

            // Decomposed to Core ATen (the window starts computed in the input's precision), the same windows.
            var program = Torch.Export(new FractionalWithSamples(), [image, samples],
                dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch", min: 2, max: 16) }, ["samples"] = new() { [0] = new Dim("batch", min: 2, max: 16) } }).RunDecompositions();
            Assert.DoesNotContain("fractional_max_pool2d", program.ToString(), StringComparison.Ordinal);
            var (values, indices) = ((Tensor, Tensor))program.Module().Invoke(image, samples)!;
            Check($"frac2d_{name}", values);
            Check($"frac2d_i_{name}", indices);
        }
        var (one, oneIndices) = Functional.FractionalMaxPool2d(T(json["image_float32"]!)[0], [2, 2], outputRatio: [0.5, 0.6], randomSamples: T(json["one"]!));
        Check("frac_unbatched", one);
        Check("frac_unbatched_i", oneIndices);

        // The layer draws new places on every call; every output is the maximum of some 3x3 window of its plane.
        Torch.ManualSeed((ulong)seed);
        var input = Torch.Randn(2, 3, 20, 20);
        var layer = new FractionalMaxPool2d(3, outputRatio: [0.5]);
        var (first, where) = layer.CallWithIndices(input);
        Assert.Equal([2L, 3, 10, 10], first.Shape.Select(s => (long)s));
        Assert.True((input.Flatten(2).Gather(2, where.Flatten(2)) == first.Flatten(2)).All().Item<bool>(), $"seed {seed}: an index does not point at its value");
        Assert.False((layer.Call(input) == first).All().Item<bool>(), $"seed {seed}: two calls placed the windows alike");
        Assert.Contains("requires specifying either an output size, or a pooling ratio", Assert.Throws<ArgumentException>(() => new FractionalMaxPool2d(3)).Message, StringComparison.Ordinal);
        Assert.Contains("output_ratio must be between 0 and 1 (got 1.5)", Assert.Throws<ArgumentException>(() => new FractionalMaxPool3d(2, outputRatio: [1.5])).Message, StringComparison.Ordinal);
        Assert.Contains("pool height 3 too large relative to input height 9", Assert.Throws<ArgumentException>(() => Functional.FractionalMaxPool2d(Torch.Randn(1, 2, 9, 9), [3, 3], [9, 4])).Message, StringComparison.Ordinal);
        Assert.Equal("FractionalMaxPool2d()", layer.ToString());
    }
}
