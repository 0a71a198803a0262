using Graphport.Graphs;

namespace Graphport;

/// <summary>x, or negativeSlope · x below zero (torch.nn.LeakyReLU).</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module<Tensor, Tensor>
{
    public double NegativeSlope { get; } = negativeSlope;

    public override Tensor Forward(Tensor x) => Functional.LeakyRelu(x, NegativeSlope);

    protected override string ExtraRepr() => $"negative_slope={PythonRepr.Float(NegativeSlope)}";
}

/// <summary>x, or alpha · (exp(x) - 1) below zero (torch.nn.ELU).</summary>
public sealed class ELU(double alpha = 1) : Module<Tensor, Tensor>
{
    public double Alpha { get; } = alpha;

    public override Tensor Forward(Tensor x) => Functional.Elu(x, Alpha);

    protected override string ExtraRepr() => $"alpha={PythonRepr.Float(Alpha)}";
}

/// <summary>x · tanh(softplus(x)) (torch.nn.Mish).</summary>
public sealed class Mish : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Mish(x);
}

/// <summary>log(1 + exp(beta · x)) / beta, x itself above threshold / beta (torch.nn.Softplus).</summary>
public sealed class Softplus(double beta = 1, double threshold = 20) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Softplus(x, beta, threshold);

    protected override string ExtraRepr() => $"beta={PythonRepr.Float(beta)}, threshold={PythonRepr.Float(threshold)}";
}

/// <summary>x clamped to [min, max] (torch.nn.Hardtanh).</summary>
public sealed class Hardtanh(double min = -1, double max = 1) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Hardtanh(x, min, max);

    protected override string ExtraRepr() => $"min_val={PythonRepr.Float(min)}, max_val={PythonRepr.Float(max)}";
}

/// <summary>relu6(x + 3) / 6 (torch.nn.Hardsigmoid).</summary>
public sealed class Hardsigmoid : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Hardsigmoid(x);
}

/// <summary>The first half along dim times the sigmoid of the second (torch.nn.GLU).</summary>
public sealed class GLU(long dim = -1) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Glu(x, dim);

    protected override string ExtraRepr() => $"dim={dim}";
}

/// <summary>log(softmax(x)) along dim (torch.nn.LogSoftmax).</summary>
public sealed class LogSoftmax(long dim) : Module<Tensor, Tensor>
{
    public long Dim { get; } = dim;

    public override Tensor Forward(Tensor x) => x.LogSoftmax(Dim);

    protected override string ExtraRepr() => $"dim={Dim}";
}

/// <summary>x, or a learned slope times x below zero: one slope, or one per channel (dim 1) (torch.nn.PReLU).</summary>
public sealed class PReLU : Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public PReLU(long numParameters = 1, double init = 0.25)
    {
        if (numParameters <= 0) throw new ArgumentOutOfRangeException(nameof(numParameters), $"PReLU needs at least one parameter, got {numParameters}.");
        weight = new Parameter(Torch.Full([numParameters], init));
    }

    public Parameter Weight => weight;

    public override Tensor Forward(Tensor x) => Functional.Prelu(x, weight);

    protected override string ExtraRepr() => $"num_parameters={(long)weight.Shape[0]}";
}

/// <summary>scale · (x, or alpha · (exp(x) - 1) below zero) with the self-normalizing constants (torch.nn.SELU).</summary>
public sealed class SELU : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Selu(x);
}

/// <summary>max(0, x) + min(0, alpha · (exp(x / alpha) - 1)) (torch.nn.CELU).</summary>
public sealed class CELU(double alpha = 1) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Celu(x, alpha);

    protected override string ExtraRepr() => $"alpha={PythonRepr.Float(alpha)}";
}

/// <summary>log(sigmoid(x)) without overflow (torch.nn.LogSigmoid).</summary>
public sealed class LogSigmoid : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.LogSigmoid(x);
}

/// <summary>x where |x| > lambd, else 0 (torch.nn.Hardshrink).</summary>
public sealed class Hardshrink(double lambd = 0.5) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Hardshrink(x, lambd);

    protected override string ExtraRepr() => PythonRepr.Float(lambd);
}

/// <summary>x moved lambd toward zero, 0 within lambd of it (torch.nn.Softshrink).</summary>
public sealed class Softshrink(double lambd = 0.5) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Softshrink(x, lambd);

    protected override string ExtraRepr() => PythonRepr.Float(lambd);
}

/// <summary>x where x > threshold, else value (torch.nn.Threshold).</summary>
public sealed class Threshold(double threshold, double value) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Threshold(x, threshold, value);

    protected override string ExtraRepr() => $"threshold={PythonRepr.Float(threshold)}, value={PythonRepr.Float(value)}";
}

/// <summary>The softmax of −x along dim (torch.nn.Softmin).</summary>
public sealed class Softmin(long dim) : Module<Tensor, Tensor>
{
    public long Dim { get; } = dim;

    public override Tensor Forward(Tensor x) => Functional.Softmin(x, Dim);

    protected override string ExtraRepr() => $"dim={Dim}";
}

/// <summary>x / (1 + |x|) (torch.nn.Softsign).</summary>
public sealed class Softsign : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Softsign(x);
}

/// <summary>x − tanh(x) (torch.nn.Tanhshrink).</summary>
public sealed class Tanhshrink : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Tanhshrink(x);
}

/// <summary>A softmax over the channels at every pixel of (C, H, W) or (N, C, H, W) (torch.nn.Softmax2d).</summary>
public sealed class Softmax2d : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x.Ndim is 3 or 4
        ? x.Softmax(-3)
        : throw new ArgumentException($"Softmax2d: expected input to be 3D or 4D, got {x.Ndim}D instead (shape {x.Shape}).");
}

/// <summary>Randomized leaky ReLU (torch.nn.RReLU): random slopes in training, their mean in eval mode.</summary>
public sealed class RReLU(double lower = 1.0 / 8, double upper = 1.0 / 3) : Module<Tensor, Tensor>
{
    public double Lower { get; } = lower <= upper ? lower : throw new ArgumentException($"Lower bound should be less than or equal to the upper bound, got lower={lower} and upper={upper}");
    public double Upper { get; } = upper;

    public override Tensor Forward(Tensor x) => Functional.Rrelu(x, Lower, Upper, Training);

    protected override string ExtraRepr() => $"lower={PythonRepr.Float(Lower)}, upper={PythonRepr.Float(Upper)}";
}
