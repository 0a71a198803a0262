namespace Graphport.Onnx;

/// <summary>MatMul and Gemm.</summary>
internal static partial class OnnxOpTable
{
    private static void AddLinear(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["MatMul"] = c => One(Call(Aten.Matmul, c.Tensor(0), c.Tensor(1)));
        t["Gemm"] = Gemm;
    }

    /// <summary>Y = alpha * A' B' + beta * C. The common (transB, alpha = beta = 1) form records as linear does: t + addmm.</summary>
    private static OnnxValue[] Gemm(OnnxNodeContext c)
    {
        var a = c.Tensor(0);
        var b = c.Tensor(1);
        var bias = c.OptionalTensor(2);
        double alpha = c.Float("alpha", 1f), beta = c.Float("beta", 1f);
        if (a.Ndim != 2 || b.Ndim != 2) throw c.Fail($"multiplies tensors of {a.Ndim} and {b.Ndim} dimensions; Gemm takes two matrices");
        if (c.Int("transA", 0) != 0) a = Call(Aten.T, a);
        if (c.Int("transB", 0) != 0) b = Call(Aten.T, b);
        if (bias is null || beta == 0)
        {
            var product = Call(Aten.Mm, a, b);
            return One(alpha == 1 ? product : Call(Aten.Mul, product, alpha));
        }
        return One(CallKw(Aten.Addmm, [bias, a, b], ("beta", beta), ("alpha", alpha)));
    }
}
