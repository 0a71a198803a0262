using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// torch.nn's padding layers: the last 1, 2 or 3 dims padded by F.pad with a constant (ConstantPad, ZeroPad), their
/// mirror image (ReflectionPad), their edge values (ReplicationPad) or by wrapping around (CircularPad). A single size
/// pads every side; a list gives (left, right[, top, bottom[, front, back]]), as in torch.
/// </summary>
public abstract class PaddingLayer : Module<Tensor, Tensor>
{
    private protected PaddingLayer(string name, int dims, long[] padding, string mode, double value = 0)
    {
        if (padding.Length == 1) padding = Enumerable.Repeat(padding[0], 2 * dims).ToArray();
        if (padding.Length != 2 * dims)
            throw new ArgumentException($"{name} takes one padding size or {2 * dims} (two per padded dim, the last dim first), got {padding.Length}.", nameof(padding));
        Dims = dims;
        Padding = padding;
        Mode = mode;
        Value = value;
    }

    /// <summary>How many trailing dims are padded.</summary>
    public int Dims { get; }

    /// <summary>(left, right, top, bottom, front, back), as many as the padded dims need.</summary>
    public long[] Padding { get; }

    public string Mode { get; }
    public double Value { get; }

    public override Tensor Forward(Tensor x)
    {
        if (x.Ndim != Dims + 1 && x.Ndim != Dims + 2)
            throw new ArgumentException($"{GetType().Name} expects a {Dims + 1}D (unbatched) or {Dims + 2}D (batched) input, got {x.Ndim}D of shape {x.Shape}.");
        return Functional.Pad(x, Padding, Mode, Value);
    }

    protected override string ExtraRepr() => PythonRepr.Tuple(Padding);
}

/// <summary>Pads with a constant value (torch.nn.ConstantPad1d).</summary>
public sealed class ConstantPad1d : PaddingLayer
{
    public ConstantPad1d(long padding, double value) : base(nameof(ConstantPad1d), 1, [padding], "constant", value) { }
    public ConstantPad1d(long[] padding, double value) : base(nameof(ConstantPad1d), 1, padding, "constant", value) { }
    protected override string ExtraRepr() => $"padding={PythonRepr.Tuple(Padding)}, value={PythonRepr.Float(Value)}";
}

/// <summary>Pads with a constant value (torch.nn.ConstantPad2d).</summary>
public sealed class ConstantPad2d : PaddingLayer
{
    public ConstantPad2d(long padding, double value) : base(nameof(ConstantPad2d), 2, [padding], "constant", value) { }
    public ConstantPad2d(long[] padding, double value) : base(nameof(ConstantPad2d), 2, padding, "constant", value) { }
    protected override string ExtraRepr() => $"padding={PythonRepr.Tuple(Padding)}, value={PythonRepr.Float(Value)}";
}

/// <summary>Pads with a constant value (torch.nn.ConstantPad3d).</summary>
public sealed class ConstantPad3d : PaddingLayer
{
    public ConstantPad3d(long padding, double value) : base(nameof(ConstantPad3d), 3, [padding], "constant", value) { }
    public ConstantPad3d(long[] padding, double value) : base(nameof(ConstantPad3d), 3, padding, "constant", value) { }
    protected override string ExtraRepr() => $"padding={PythonRepr.Tuple(Padding)}, value={PythonRepr.Float(Value)}";
}

/// <summary>Pads with zeros (torch.nn.ZeroPad1d).</summary>
public sealed class ZeroPad1d : PaddingLayer
{
    public ZeroPad1d(long padding) : base(nameof(ZeroPad1d), 1, [padding], "constant") { }
    public ZeroPad1d(long[] padding) : base(nameof(ZeroPad1d), 1, padding, "constant") { }
}

/// <summary>Pads with zeros (torch.nn.ZeroPad2d).</summary>
public sealed class ZeroPad2d : PaddingLayer
{
    public ZeroPad2d(long padding) : base(nameof(ZeroPad2d), 2, [padding], "constant") { }
    public ZeroPad2d(long[] padding) : base(nameof(ZeroPad2d), 2, padding, "constant") { }
}

/// <summary>Pads with zeros (torch.nn.ZeroPad3d).</summary>
public sealed class ZeroPad3d : PaddingLayer
{
    public ZeroPad3d(long padding) : base(nameof(ZeroPad3d), 3, [padding], "constant") { }
    public ZeroPad3d(long[] padding) : base(nameof(ZeroPad3d), 3, padding, "constant") { }
}

/// <summary>Pads with the input's mirror image, the edge not repeated (torch.nn.ReflectionPad1d).</summary>
public sealed class ReflectionPad1d : PaddingLayer
{
    public ReflectionPad1d(long padding) : base(nameof(ReflectionPad1d), 1, [padding], "reflect") { }
    public ReflectionPad1d(long[] padding) : base(nameof(ReflectionPad1d), 1, padding, "reflect") { }
}

/// <summary>Pads with the input's mirror image, the edge not repeated (torch.nn.ReflectionPad2d).</summary>
public sealed class ReflectionPad2d : PaddingLayer
{
    public ReflectionPad2d(long padding) : base(nameof(ReflectionPad2d), 2, [padding], "reflect") { }
    public ReflectionPad2d(long[] padding) : base(nameof(ReflectionPad2d), 2, padding, "reflect") { }
}

/// <summary>Pads with the input's mirror image, the edge not repeated (torch.nn.ReflectionPad3d).</summary>
public sealed class ReflectionPad3d : PaddingLayer
{
    public ReflectionPad3d(long padding) : base(nameof(ReflectionPad3d), 3, [padding], "reflect") { }
    public ReflectionPad3d(long[] padding) : base(nameof(ReflectionPad3d), 3, padding, "reflect") { }
}

/// <summary>Pads with copies of the edge values (torch.nn.ReplicationPad1d).</summary>
public sealed class ReplicationPad1d : PaddingLayer
{
    public ReplicationPad1d(long padding) : base(nameof(ReplicationPad1d), 1, [padding], "replicate") { }
    public ReplicationPad1d(long[] padding) : base(nameof(ReplicationPad1d), 1, padding, "replicate") { }
}

/// <summary>Pads with copies of the edge values (torch.nn.ReplicationPad2d).</summary>
public sealed class ReplicationPad2d : PaddingLayer
{
    public ReplicationPad2d(long padding) : base(nameof(ReplicationPad2d), 2, [padding], "replicate") { }
    public ReplicationPad2d(long[] padding) : base(nameof(ReplicationPad2d), 2, padding, "replicate") { }
}

/// <summary>Pads with copies of the edge values (torch.nn.ReplicationPad3d).</summary>
public sealed class ReplicationPad3d : PaddingLayer
{
    public ReplicationPad3d(long padding) : base(nameof(ReplicationPad3d), 3, [padding], "replicate") { }
    public ReplicationPad3d(long[] padding) : base(nameof(ReplicationPad3d), 3, padding, "replicate") { }
}

/// <summary>Pads by wrapping around: the right edge continues from the left (torch.nn.CircularPad1d).</summary>
public sealed class CircularPad1d : PaddingLayer
{
    public CircularPad1d(long padding) : base(nameof(CircularPad1d), 1, [padding], "circular") { }
    public CircularPad1d(long[] padding) : base(nameof(CircularPad1d), 1, padding, "circular") { }
}

/// <summary>Pads by wrapping around (torch.nn.CircularPad2d).</summary>
public sealed class CircularPad2d : PaddingLayer
{
    public CircularPad2d(long padding) : base(nameof(CircularPad2d), 2, [padding], "circular") { }
    public CircularPad2d(long[] padding) : base(nameof(CircularPad2d), 2, padding, "circular") { }
}

/// <summary>Pads by wrapping around (torch.nn.CircularPad3d).</summary>
public sealed class CircularPad3d : PaddingLayer
{
    public CircularPad3d(long padding) : base(nameof(CircularPad3d), 3, [padding], "circular") { }
    public CircularPad3d(long[] padding) : base(nameof(CircularPad3d), 3, padding, "circular") { }
}
