namespace Graphport.Onnx;

/// <summary>Einsum, lowered as aten.einsum is (<see cref="EinsumLowering"/>).</summary>
internal static partial class OnnxOpTable
{
    private static void AddEinsum(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["Einsum"] = Einsum;
    }

    private static OnnxValue[] Einsum(OnnxNodeContext c)
    {
        string text = c.Attr("equation")?.String ?? throw c.Fail("has no 'equation' attribute; Einsum needs one, such as \"bij,bjk->bik\"");
        if (c.InputCount == 0) throw c.Fail("has no inputs; Einsum takes one or more");
        var tensors = Enumerable.Range(0, c.InputCount).Select(c.Tensor).ToArray();
        return One(EinsumLowering.Lower(text, tensors, c.Fail));
    }
}
