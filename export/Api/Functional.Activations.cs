namespace Graphport;

/// <summary>torch.nn.functional's further activations: glu, mish, selu, celu, the shrinks, logsigmoid, threshold, prelu, softmin, softsign, tanhshrink.</summary>
public static partial class Functional
{
    /// <summary>The first half of x along dim times the sigmoid of the second.</summary>
    public static Tensor Glu(Tensor x, long dim = -1) => Aten.Call(Aten.Glu, x, dim);

    public static Tensor Mish(Tensor x) => Aten.Call(Aten.Mish, x);

    public static Tensor Selu(Tensor x) => Aten.Call(Aten.Selu, x);

    public static Tensor Celu(Tensor x, double alpha = 1) => Aten.Call(Aten.Celu, x, alpha);

    public static Tensor Hardshrink(Tensor x, double lambd = 0.5) => Aten.Call(Aten.Hardshrink, x, lambd);

    public static Tensor Softshrink(Tensor x, double lambd = 0.5) => Aten.Call(Aten.Softshrink, x, lambd);

    public static Tensor LogSigmoid(Tensor x) => Aten.Call(Aten.LogSigmoid, x);

    /// <summary>value where x &lt;= threshold, x elsewhere.</summary>
    public static Tensor Threshold(Tensor x, double threshold, double value) => Aten.Call(Aten.Threshold, x, threshold, value);

    /// <summary>x where positive, weight · x elsewhere; a weight of C values applies per channel.</summary>
    public static Tensor Prelu(Tensor x, Tensor weight) => Aten.Call(Aten.Prelu, x, weight);

    /// <summary>The softmax of −x along dim: the smallest entries get the most weight.</summary>
    public static Tensor Softmin(Tensor x, long dim) => Aten.Call(Aten.Neg, x).Softmax(dim);

    /// <summary>x / (1 + |x|).</summary>
    public static Tensor Softsign(Tensor x) => Aten.Call(Aten.Div, x, Aten.Call(Aten.Add, Aten.Call(Aten.Abs, x), 1L));

    /// <summary>x − tanh(x).</summary>
    public static Tensor Tanhshrink(Tensor x) => Aten.Call(Aten.Sub, x, x.Tanh());

    /// <summary>Randomized leaky ReLU: slopes drawn from U(lower, upper) in training, their mean otherwise.</summary>
    public static Tensor Rrelu(Tensor x, double lower = 1.0 / 8, double upper = 1.0 / 3, bool training = false) => Aten.Call(Aten.Rrelu, x, lower, upper, training);
}
