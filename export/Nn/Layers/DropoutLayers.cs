using Graphport.Graphs;

namespace Graphport;

// torch.nn's dropout layers: random in training mode (Train()), the identity in eval mode (Eval()).

/// <summary>Randomly zeroes elements while training (torch.nn.Dropout); the identity in eval mode.</summary>
public sealed class Dropout(double p = 0.5) : Module<Tensor, Tensor>
{
    public double P { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability has to be between 0 and 1, but got {p}");

    public override Tensor Forward(Tensor x) => Functional.Dropout(x, P, Training);

    protected override string ExtraRepr() => $"p={PythonRepr.Float(P)}, inplace=False";
}

/// <summary>Channel-wise dropout of (N, C, L) input in training (torch.nn.Dropout1d).</summary>
public sealed class Dropout1d(double p = 0.5) : Module<Tensor, Tensor>
{
    public double P { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability has to be between 0 and 1, but got {p}");

    public override Tensor Forward(Tensor x) => Functional.Dropout1d(x, P, Training);

    protected override string ExtraRepr() => $"p={PythonRepr.Float(P)}, inplace=False";
}

/// <summary>Channel-wise dropout of (N, C, H, W) input in training (torch.nn.Dropout2d).</summary>
public sealed class Dropout2d(double p = 0.5) : Module<Tensor, Tensor>
{
    public double P { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability has to be between 0 and 1, but got {p}");

    public override Tensor Forward(Tensor x) => Functional.Dropout2d(x, P, Training);

    protected override string ExtraRepr() => $"p={PythonRepr.Float(P)}, inplace=False";
}

/// <summary>Channel-wise dropout of (N, C, D, H, W) input in training (torch.nn.Dropout3d).</summary>
public sealed class Dropout3d(double p = 0.5) : Module<Tensor, Tensor>
{
    public double P { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability has to be between 0 and 1, but got {p}");

    public override Tensor Forward(Tensor x) => Functional.Dropout3d(x, P, Training);

    protected override string ExtraRepr() => $"p={PythonRepr.Float(P)}, inplace=False";
}

/// <summary>SELU networks' self-normalizing dropout in training (torch.nn.AlphaDropout).</summary>
public sealed class AlphaDropout(double p = 0.5) : Module<Tensor, Tensor>
{
    public double P { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability has to be between 0 and 1, but got {p}");

    public override Tensor Forward(Tensor x) => Functional.AlphaDropout(x, P, Training);

    protected override string ExtraRepr() => $"p={PythonRepr.Float(P)}, inplace=False";
}
