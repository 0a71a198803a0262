using static Graphport.Torch;

namespace Graphport.Tests.Serialization;

/// <summary>Takes every second row: its size is a floor division of the input's.</summary>
public sealed class EverySecondRow : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x[TensorIndex.Slice(null, null, 2)].Relu();
}

/// <summary>Dictionaries in and out.</summary>
public sealed class DictInDictOut : Module<Dictionary<string, Tensor>, Dictionary<string, Tensor>>
{
    public override Dictionary<string, Tensor> Forward(Dictionary<string, Tensor> x) =>
        new() { ["sum"] = x["a"] + x["b"], ["product"] = x["a"] * x["b"] };
}

/// <summary>A tuple in and a list out.</summary>
public sealed class TupleInListOut : Module<(Tensor, Tensor), List<Tensor>>
{
    public override List<Tensor> Forward((Tensor, Tensor) x) => [x.Item1 - x.Item2, x.Item1.Exp(), x.Item2.Abs()];
}

/// <summary>Buffers of every dtype, read by the forward pass, so their bytes matter.</summary>
public sealed class BuffersOfEveryDType : Module<Tensor, Tensor>
{
    private readonly List<Buffer> buffers = [];

    public BuffersOfEveryDType()
    {
        ManualSeed(90);
        var values = Randn(4) * 50;
        foreach (var dtype in new[] { DType.Float64, DType.Float16, DType.BFloat16, DType.Int64, DType.Int32, DType.Int8, DType.UInt8 })
            buffers.Add(RegisterBuffer($"b_{dtype.ShortName()}", values.Abs().To(dtype)));
        buffers.Add(RegisterBuffer("mask", values > 0));
    }

    public override Tensor Forward(Tensor x)
    {
        var total = x;
        foreach (var b in buffers) total = total + b.To(DType.Float32);
        return total;
    }
}

/// <summary>A buffer that is a row of another buffer: both live in one storage, at different offsets.</summary>
public sealed class AliasedBuffers : Module<Tensor, Tensor>
{
    private readonly Buffer table;
    private readonly Buffer row;

    public AliasedBuffers()
    {
        ManualSeed(91);
        table = RegisterBuffer("table", Randn(4, 3));
        row = RegisterBuffer("row", new Buffer(table[2]));
    }

    public override Tensor Forward(Tensor x) => x * row + table.Sum(0);
}

/// <summary>A non-persistent buffer (torch keeps it with the constants, not in the state dict file).</summary>
public sealed class ScaledByTransientBuffer : Module<Tensor, Tensor>
{
    private readonly Buffer scale = new(Torch.Tensor(new float[] { 0.5f, 2f, -3f }), persistent: false);
    private readonly Parameter bias = new(Torch.Tensor(new float[] { 1f, 2f, 3f }));

    public override Tensor Forward(Tensor x) => x * scale + bias;
}

/// <summary>
/// Arguments of every kind the schema has a union variant for: floats and ints as scalars, optional floats,
/// int lists, dtypes, tensor lists, and ops returning several tensors or a tensor list.
/// </summary>
public sealed class ManyArgumentKinds : Module<Tensor, Tensor, (Tensor, Tensor, Tensor)>
{
    public override (Tensor, Tensor, Tensor) Forward(Tensor x, Tensor y)
    {
        var a = (x * 3.5 + 2L).Clamp(-1.0, 1.0);
        var parts = Cat([a, y], 1).Split(2, 1);
        var (values, indices) = parts[1].Max(1, keepdim: true);
        var b = parts[0].Sum([0, 1], keepdim: true).To(DType.Float64);
        var c = Where(values > 0, values, -0.25).Softmax(0);
        return (b, c + indices.To(DType.Float32), parts[2].Mean(1) * float.PositiveInfinity);
    }
}

/// <summary>
/// A two-layer bidirectional LSTM feeding a GRU and a linear head: aten.lstm.input and aten.gru.input with their
/// flat weight lists, for torch.export.load (bench/Graphport.OpReference writes it as "recurrent").
/// </summary>
public sealed class RecurrentNet : Module<Tensor, Tensor>
{
    private readonly LSTM lstm = new(6, 8, numLayers: 2, batchFirst: true, bidirectional: true);
    private readonly GRU gru = new(16, 4);
    private readonly Linear head = new(4, 3);

    public override Tensor Forward(Tensor x)
    {
        var (y, _) = lstm.Call(x);
        var (z, h) = gru.Call(y.Transpose(0, 1));
        return head.Call(z[-1] + h[0]);
    }
}
