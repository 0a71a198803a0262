using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// What torch.nn's dropout layers share: the probability p (checked), random in training mode (Train()), the identity
/// in eval mode (Eval()).
/// </summary>
public abstract class DropoutLayer : Module<Tensor, Tensor>
{
    private protected DropoutLayer(double p) =>
        P = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability has to be between 0 and 1, but got {p}");

    public double P { get; }

    protected override string ExtraRepr() => $"p={PythonRepr.Float(P)}, inplace=False";
}

/// <summary>Randomly zeroes elements while training (torch.nn.Dropout); the identity in eval mode.</summary>
public sealed class Dropout(double p = 0.5) : DropoutLayer(p)
{
    public override Tensor Forward(Tensor x) => Functional.Dropout(x, P, Training);
}

/// <summary>Channel-wise dropout of (N, C, L) input in training (torch.nn.Dropout1d).</summary>
public sealed class Dropout1d(double p = 0.5) : DropoutLayer(p)
{
    public override Tensor Forward(Tensor x) => Functional.Dropout1d(x, P, Training);
}

/// <summary>Channel-wise dropout of (N, C, H, W) input in training (torch.nn.Dropout2d).</summary>
public sealed class Dropout2d(double p = 0.5) : DropoutLayer(p)
{
    public override Tensor Forward(Tensor x) => Functional.Dropout2d(x, P, Training);
}

/// <summary>Channel-wise dropout of (N, C, D, H, W) input in training (torch.nn.Dropout3d).</summary>
public sealed class Dropout3d(double p = 0.5) : DropoutLayer(p)
{
    public override Tensor Forward(Tensor x) => Functional.Dropout3d(x, P, Training);
}

/// <summary>SELU networks' self-normalizing dropout in training (torch.nn.AlphaDropout).</summary>
public sealed class AlphaDropout(double p = 0.5) : DropoutLayer(p)
{
    public override Tensor Forward(Tensor x) => Functional.AlphaDropout(x, P, Training);
}

/// <summary>
/// Alpha dropout of whole channels in training (torch.nn.FeatureAlphaDropout): dropped channels take SELU's negative
/// saturation and the result keeps mean 0 and variance 1; the identity in eval mode.
/// </summary>
public sealed class FeatureAlphaDropout(double p = 0.5) : DropoutLayer(p)
{
    public override Tensor Forward(Tensor x) => Functional.FeatureAlphaDropout(x, P, Training);
}
