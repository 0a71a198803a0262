namespace Graphport.Onnx;

/// <summary>Resize and Upsample onto ATen's upsample ops, where ONNX's coordinate and rounding modes agree with them.</summary>
internal static partial class OnnxOpTable
{
    private static void AddResize(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["Resize"] = Resize;
        t["Upsample"] = Resize;
    }

    /// <summary>
    /// Resize/Upsample onto ATen's upsample ops: nearest where ONNX's pixel choice equals ATen's floor(dst·in/out)
    /// (checked pixel by pixel at the traced sizes), bilinear with half_pixel (align_corners = false) or align_corners.
    /// </summary>
    private static OnnxValue[] Resize(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        if (x.Ndim != 4) throw c.Fail($"resizes a {x.Ndim}-d tensor; Graphport imports 4-d (N, C, H, W) resizes");
        string mode = c.String("mode", "nearest");
        // Opset 18's options change which pixels are read; refuse them rather than resize differently.
        if (c.Int("antialias", 0) != 0) throw c.Fail("resizes with antialias = 1, which ATen's upsample ops do not do");
        if (c.Ints("axes") is { } axes && !(axes.Length == 4 || axes.Order().SequenceEqual(new long[] { 2, 3 }) || axes.Order().SequenceEqual(new long[] { -2, -1 })))
            throw c.Fail($"resizes along axes [{string.Join(", ", axes)}]; Graphport resizes H and W of an (N, C, H, W) tensor");
        if (c.String("keep_aspect_ratio_policy", "stretch") != "stretch")
            throw c.Fail($"uses keep_aspect_ratio_policy '{c.String("keep_aspect_ratio_policy", "")}'; Graphport imports 'stretch' (sizes taken as given)");
        string transform = c.String("coordinate_transformation_mode", c.Opset >= 11 ? "half_pixel" : "asymmetric");
        double[]? scales = null;
        SymInt[]? sizes = null;
        if (c.Node.OpType == "Upsample") scales = c.Opset >= 9 ? c.ConstantDoubles(1) : c.Floats("scales")?.Select(f => (double)f).ToArray();
        else if (c.Opset >= 11)
        {
            if (c.Has(3)) sizes = c.Sizes(3, "output sizes");
            else scales = c.ConstantDoubles(2);
        }
        else scales = c.ConstantDoubles(1);
        if (scales is { Length: 0 }) scales = null;
        // With axes [2, 3] (opset 18) scales and sizes name H and W only.
        if (c.Ints("axes") is { Length: 2 })
        {
            if (scales is { Length: 2 }) scales = [1, 1, scales[0], scales[1]];
            if (sizes is { Length: 2 }) sizes = [x.Size(0), x.Size(1), sizes[0], sizes[1]];
        }
        if (sizes is null && scales is null) throw c.Fail("gives neither constant scales nor sizes");
        if (scales is not null && (scales.Length != 4 || scales[0] != 1 || scales[1] != 1)) throw c.Fail($"scales [{string.Join(", ", scales ?? [])}]; only H and W may be resized");
        if (sizes is not null && sizes.Length != 4) throw c.Fail($"has {sizes.Length} output sizes for a 4-d input");
        var output = sizes is not null
            ? new[] { sizes[2], sizes[3] }
            : new[] { ScaleSize(c, x.Size(2), scales![2]), ScaleSize(c, x.Size(3), scales![3]) };
        switch (mode)
        {
            case "nearest":
                string nearest = c.String("nearest_mode", "round_prefer_floor");
                for (int i = 0; i < 2; i++)
                {
                    long inSize = x.Size(2 + i).Hint, outSize = output[i].Hint;
                    double scale = scales?[2 + i] ?? (double)outSize / inSize;
                    if (!NearestMatchesAten(transform, nearest, scale, inSize, outSize))
                        throw c.Fail($"resizes nearest with coordinate_transformation_mode '{transform}' and nearest_mode '{nearest}' from {inSize} to {outSize}, which picks other source pixels than ATen's nearest (floor(dst * in / out)); Graphport imports the nearest resizes that agree with it (e.g. asymmetric + floor, or integer scales with half_pixel)");
                }
                return One(Call(Aten.UpsampleNearest2d, x, output, null));
            case "linear" or "bilinear":
                bool alignCorners = transform == "align_corners";
                if (!alignCorners && transform is not ("half_pixel" or "pytorch_half_pixel"))
                    throw c.Fail($"resizes linearly with coordinate_transformation_mode '{transform}'; Graphport imports half_pixel, pytorch_half_pixel and align_corners");
                return One(Call(Aten.UpsampleBilinear2d, x, output, alignCorners, null));
            default:
                throw c.Fail($"resizes in mode '{mode}'; Graphport imports nearest and linear");
        }
    }

    private static SymInt ScaleSize(OnnxNodeContext c, SymInt size, double scale)
    {
        if (scale >= 1 && scale == Math.Floor(scale)) return size * (long)scale;
        // A whole-number downscale stays symbolic: floor(n * (1/k)) is n // k.
        double inverse = 1 / scale;
        if (scale > 0 && Math.Abs(inverse - Math.Round(inverse)) < 1e-9) return size / (long)Math.Round(inverse);
        if (scale <= 0) throw c.Fail($"has a scale of {scale}; scales must be positive");
        return (long)Math.Floor((long)size * scale);
    }

    /// <summary>
    /// Whether ONNX's nearest pixel choice (coordinate transform, then rounding, then clamping) picks the same
    /// source pixel as ATen's floor(dst * in / out) for every output pixel at these sizes.
    /// </summary>
    private static bool NearestMatchesAten(string transform, string nearestMode, double scale, long inSize, long outSize)
    {
        for (long dst = 0; dst < outSize; dst++)
        {
            double x = transform switch
            {
                "half_pixel" => (dst + 0.5) / scale - 0.5,
                "pytorch_half_pixel" => outSize > 1 ? (dst + 0.5) / scale - 0.5 : 0,
                "align_corners" => outSize == 1 ? 0 : dst * (inSize - 1) / (double)(outSize - 1),
                "asymmetric" => dst / scale,
                "tf_half_pixel_for_nn" => (dst + 0.5) / scale,
                _ => double.NaN,
            };
            if (double.IsNaN(x)) return false;
            double floor = Math.Floor(x);
            bool half = Math.Abs(x - floor - 0.5) < 1e-9;
            double picked = nearestMode switch
            {
                "floor" => Math.Floor(x + 1e-9),
                "ceil" => Math.Ceiling(x - 1e-9),
                "round_prefer_ceil" => half ? floor + 1 : Math.Round(x),
                _ => half ? floor : Math.Round(x),
            };
            long onnx = (long)Math.Clamp(picked, 0, inSize - 1);
            long aten = Math.Min((long)Math.Floor(dst * ((double)inSize / outSize)), inSize - 1);
            if (onnx != aten) return false;
        }
        return true;
    }
}
