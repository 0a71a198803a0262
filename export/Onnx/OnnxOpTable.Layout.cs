namespace Graphport.Onnx;

/// <summary>DepthToSpace, SpaceToDepth, Trilu and EyeLike: rearrangements that are views, permutes and masks in ATen.</summary>
internal static partial class OnnxOpTable
{
    private static void AddLayout(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["DepthToSpace"] = DepthToSpace;
        t["SpaceToDepth"] = SpaceToDepth;
        t["Trilu"] = c =>
        {
            long k = c.Has(1) ? (long)c.Sizes(1, "k")[0] : 0;
            return One(Call(c.Int("upper", 1) != 0 ? Aten.Triu : Aten.Tril, c.Tensor(0), k));
        };
        t["EyeLike"] = EyeLike;
    }

    /// <summary>Ones on the k-th diagonal of a matrix shaped as the input (k > 0 above the main one), in the dtype
    /// asked for (default the input's): row and column positions compared.</summary>
    private static OnnxValue[] EyeLike(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        if (x.Ndim != 2) throw c.Fail($"takes the shape of a {x.Ndim}-d tensor; EyeLike makes a matrix from a 2-d one");
        var dtype = x.DType;
        if (c.Attr("dtype") is not null)
        {
            var target = (OnnxDataType)c.Int("dtype", 0);
            dtype = target.ToDType() ?? throw c.Fail($"makes a {target.Describe()} matrix, which Graphport tensors cannot hold");
        }
        long k = c.Int("k", 0);
        var rows = CallKw(Aten.ArangeStartStep, [0L, x.Size(0), 1L], ("dtype", DType.Int64));
        var cols = CallKw(Aten.ArangeStartStep, [0L, x.Size(1), 1L], ("dtype", DType.Int64));
        var offset = Call(Aten.Sub, Call(Aten.Unsqueeze, cols, 0L), Call(Aten.Unsqueeze, rows, 1L));
        return One(Call(Aten.EqScalar, offset, k).To(dtype));
    }

    /// <summary>[N, C, H, W] to [N, C/b², H·b, W·b]; DCR (the default) takes depth as (b, b, C'), CRD as (C', b, b).</summary>
    private static OnnxValue[] DepthToSpace(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        if (x.Ndim != 4) throw c.Fail($"rearranges a {x.Ndim}-d tensor; DepthToSpace takes [N, C, H, W]");
        long b = c.Int("blocksize", 0);
        if (b < 1) throw c.Fail("has no positive blocksize");
        SymInt n = x.Size(0), ch = x.Size(1) / (b * b), h = x.Size(2), w = x.Size(3);
        bool crd = c.String("mode", "DCR") == "CRD";
        var split = crd
            ? Call(Aten.Reshape, x, new[] { n, ch, b, b, h, w })
            : Call(Aten.Reshape, x, new[] { n, b, b, ch, h, w });
        var moved = Call(Aten.Permute, split, crd ? new long[] { 0, 1, 4, 2, 5, 3 } : new long[] { 0, 3, 4, 1, 5, 2 });
        return One(Call(Aten.Reshape, moved, new[] { n, ch, h * b, w * b }));
    }

    /// <summary>[N, C, H, W] to [N, C·b², H/b, W/b], depth ordered (b, b, C) as ONNX defines it.</summary>
    private static OnnxValue[] SpaceToDepth(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        if (x.Ndim != 4) throw c.Fail($"rearranges a {x.Ndim}-d tensor; SpaceToDepth takes [N, C, H, W]");
        long b = c.Int("blocksize", 0);
        if (b < 1) throw c.Fail("has no positive blocksize");
        SymInt n = x.Size(0), ch = x.Size(1), h = x.Size(2) / b, w = x.Size(3) / b;
        var split = Call(Aten.Reshape, x, new[] { n, ch, h, (SymInt)b, w, (SymInt)b });
        var moved = Call(Aten.Permute, split, new long[] { 0, 3, 5, 1, 2, 4 });
        return One(Call(Aten.Reshape, moved, new[] { n, ch * (b * b), h, w }));
    }
}
