using System.Buffers.Binary;
using System.Text;

namespace Graphport.Tests.Onnx;

/// <summary>
/// Writes ONNX ModelProto bytes by hand (no protobuf package), so tests can state a model in a few lines:
/// <c>new OnnxModelBuilder(17).Input("x", ElemType.Float, 2, 3).Node("Relu", ["x"], ["y"]).Output("y", ElemType.Float, [2, 3]).Build()</c>.
/// It is written independently of the importer's reader so that a misreading on either side shows up against ONNX Runtime.
/// </summary>
public sealed class OnnxModelBuilder(long opset = 17)
{
    private readonly List<ValueInfo> inputs = [];
    private readonly List<ValueInfo> outputs = [];
    private readonly List<TensorData> initializers = [];
    private readonly List<NodeData> nodes = [];

    /// <summary>The ai.onnx opset the model imports.</summary>
    public long Opset { get; } = opset;

    /// <summary>
    /// Writes repeated numbers (dims, ints, floats) packed, as proto3 writers do; onnx.proto is proto2, whose writers
    /// (the onnx package, torch.onnx) leave them unpacked, the default here. A reader must accept both.
    /// </summary>
    public bool PackRepeated { get; init; }

    /// <summary>The producer_name written into the model.</summary>
    public string ProducerName { get; init; } = "graphport-tests";

    /// <summary>
    /// A graph input; each dim is a size (int or long), a symbolic dim_param name (string), or null for a dim that is
    /// neither (an empty Dimension, as exporters write for an unnamed dynamic axis).
    /// </summary>
    public OnnxModelBuilder Input(string name, ElemType elemType, params object?[] dims)
    {
        inputs.Add(new ValueInfo(name, elemType, dims.Select(ToDim).ToArray()));
        return this;
    }

    /// <summary>
    /// A graph output; with no element type it carries no type at all, with no dims its rank is unknown
    /// (an empty array is a scalar).
    /// </summary>
    public OnnxModelBuilder Output(string name, ElemType? elemType = null, object?[]? dims = null)
    {
        outputs.Add(new ValueInfo(name, elemType, elemType is null ? null : dims?.Select(ToDim).ToArray()));
        return this;
    }

    /// <summary>A float initializer stored as raw_data (little-endian); empty dims make a scalar.</summary>
    public OnnxModelBuilder Initializer(string name, float[] data, params long[] dims)
    {
        initializers.Add(new TensorData(name, ElemType.Float, RawBytes(CheckCount(name, data, dims)), dims));
        return this;
    }

    /// <summary>An int64 initializer stored as raw_data (little-endian); empty dims make a scalar.</summary>
    public OnnxModelBuilder Initializer(string name, long[] data, params long[] dims)
    {
        initializers.Add(new TensorData(name, ElemType.Int64, RawBytes(CheckCount(name, data, dims)), dims));
        return this;
    }

    /// <summary>A uint8 initializer (quantized weights and zero points); empty dims make a scalar.</summary>
    public OnnxModelBuilder Initializer(string name, byte[] data, params long[] dims)
    {
        initializers.Add(new TensorData(name, ElemType.UInt8, (byte[])CheckCount(name, data, dims).Clone(), dims));
        return this;
    }

    /// <summary>An int8 initializer (quantized weights and zero points); empty dims make a scalar.</summary>
    public OnnxModelBuilder Initializer(string name, sbyte[] data, params long[] dims)
    {
        initializers.Add(new TensorData(name, ElemType.Int8, CheckCount(name, data, dims).Select(v => unchecked((byte)v)).ToArray(), dims));
        return this;
    }

    /// <summary>An int32 initializer (a quantized bias); empty dims make a scalar.</summary>
    public OnnxModelBuilder Initializer(string name, int[] data, params long[] dims)
    {
        var bytes = new byte[CheckCount(name, data, dims).Length * 4];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), data[i]);
        initializers.Add(new TensorData(name, ElemType.Int32, bytes, dims));
        return this;
    }

    /// <summary>
    /// A float initializer whose data lives in an external file next to the model (data_location EXTERNAL): the
    /// caller writes <paramref name="data"/> little-endian at <paramref name="offset"/> of <paramref name="location"/>.
    /// </summary>
    public OnnxModelBuilder ExternalInitializer(string name, float[] data, string location, long offset, params long[] dims)
    {
        CheckCount(name, data, dims);
        initializers.Add(new TensorData(name, ElemType.Float, [], dims) { External = (location, offset, data.Length * 4L) });
        return this;
    }

    /// <summary>A node named after its op type and position (Relu_0, Add_1, ...).</summary>
    public OnnxModelBuilder Node(string opType, string[] nodeInputs, string[] nodeOutputs, params OnnxAttr[] attributes) =>
        NamedNode($"{opType}_{nodes.Count}", opType, nodeInputs, nodeOutputs, attributes);

    /// <summary>A node with a chosen name; an empty string among its inputs marks an omitted optional input.</summary>
    public OnnxModelBuilder NamedNode(string name, string opType, string[] nodeInputs, string[] nodeOutputs, params OnnxAttr[] attributes)
    {
        nodes.Add(new NodeData(name, opType, nodeInputs, nodeOutputs, attributes));
        return this;
    }

    /// <summary>The serialized ModelProto (ir_version 8).</summary>
    public byte[] Build()
    {
        var model = new ProtoWriter(PackRepeated);
        model.Varint(1, 8);
        model.String(2, ProducerName);
        model.Message(7, graph => WriteGraph(graph, "graphport_test_graph"));
        model.Message(8, op =>
        {
            op.String(1, "");
            op.Varint(2, Opset);
        });
        return model.ToArray();
    }

    /// <summary>This builder's nodes, initializers, inputs and outputs as a GraphProto (also how a subgraph attribute is written).</summary>
    internal void WriteGraph(ProtoWriter graph, string name)
    {
        foreach (var node in nodes) graph.Message(1, n => WriteNode(n, node));
        graph.String(2, name);
        foreach (var init in initializers) graph.Message(5, t => WriteTensor(t, init));
        foreach (var input in inputs) graph.Message(11, v => WriteValueInfo(v, input));
        foreach (var output in outputs) graph.Message(12, v => WriteValueInfo(v, output));
    }

    // A wrong count would make ORT reject the model, and the test would fail for the test's own mistake.
    private static T[] CheckCount<T>(string name, T[] data, long[] dims)
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        return count == data.Length ? data
            : throw new ArgumentException($"Initializer '{name}' has {data.Length} values but dims [{string.Join(", ", dims)}] hold {count}.", nameof(data));
    }

    private static object? ToDim(object? dim) => dim switch
    {
        null => null,
        int i => (long)i,
        long l => l,
        string s => s,
        _ => throw new ArgumentException($"A dim is a size (int or long), a dim_param name (string) or null, not {dim.GetType().Name}.", nameof(dim)),
    };

    private static void WriteNode(ProtoWriter w, NodeData node)
    {
        foreach (var input in node.Inputs) w.String(1, input);
        foreach (var output in node.Outputs) w.String(2, output);
        w.String(3, node.Name);
        w.String(4, node.OpType);
        foreach (var attribute in node.Attributes) w.Message(5, a => attribute.Write(a));
    }

    private static void WriteValueInfo(ProtoWriter w, ValueInfo info)
    {
        w.String(1, info.Name);
        if (info.ElemType is not ElemType elemType) return;
        w.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Varint(1, (long)elemType);
            if (info.Dims is null) return;
            tensor.Message(2, shape =>
            {
                foreach (var dim in info.Dims)
                    shape.Message(1, d =>
                    {
                        if (dim is long size) d.Varint(1, size);
                        else if (dim is string param) d.String(2, param);
                    });
            });
        }));
    }

    internal static void WriteTensor(ProtoWriter w, TensorData tensor)
    {
        w.Int64s(1, tensor.Dims);
        w.Varint(2, (long)tensor.ElemType);
        if (tensor.Name.Length > 0) w.String(8, tensor.Name);
        if (tensor.External is not { } external)
        {
            w.Bytes(9, tensor.Raw);
            return;
        }
        foreach (var (key, value) in new[] { ("location", external.Location), ("offset", external.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("length", external.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)) })
            w.Message(13, entry => { entry.String(1, key); entry.String(2, value); });
        w.Varint(14, 1);
    }

    internal static byte[] RawBytes(float[] data)
    {
        var bytes = new byte[data.Length * 4];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
        return bytes;
    }

    internal static byte[] RawBytes(long[] data)
    {
        var bytes = new byte[data.Length * 8];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), data[i]);
        return bytes;
    }

    private sealed record ValueInfo(string Name, ElemType? ElemType, object?[]? Dims);

    internal sealed record TensorData(string Name, ElemType ElemType, byte[] Raw, long[] Dims)
    {
        /// <summary>Where the data lives when it is not in the model file (external data).</summary>
        public (string Location, long Offset, long Length)? External { get; init; }
    }

    private sealed record NodeData(string Name, string OpType, string[] Inputs, string[] Outputs, OnnxAttr[] Attributes);
}

/// <summary>TensorProto.DataType numbers for the element types the tests use.</summary>
public enum ElemType
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
    Float16 = 10,
    Double = 11,
}

/// <summary>A node attribute (AttributeProto) for <see cref="OnnxModelBuilder.Node"/>: <c>OnnxAttr.Int("axis", 1)</c>.</summary>
public sealed class OnnxAttr
{
    private readonly Action<ProtoWriter> body;

    private OnnxAttr(string name, Action<ProtoWriter> body)
    {
        Name = name;
        this.body = body;
    }

    public string Name { get; }

    public static OnnxAttr Int(string name, long value) => new(name, w => { w.Varint(3, value); w.Varint(20, 2); });

    public static OnnxAttr Float(string name, float value) => new(name, w => { w.Float(2, value); w.Varint(20, 1); });

    public static OnnxAttr String(string name, string value) => new(name, w => { w.String(4, value); w.Varint(20, 3); });

    public static OnnxAttr Ints(string name, params long[] values) => new(name, w => { w.Int64s(8, values); w.Varint(20, 7); });

    public static OnnxAttr Floats(string name, params float[] values) => new(name, w => { w.Floats(7, values); w.Varint(20, 6); });

    /// <summary>A list of strings (field 9, type STRINGS), as recurrent ops list their activations.</summary>
    public static OnnxAttr Strings(string name, params string[] values) => new(name, w =>
    {
        foreach (var value in values) w.String(9, value);
        w.Varint(20, 8);
    });

    public static OnnxAttr Tensor(string name, float[] data, params long[] dims) =>
        TensorOf(name, new OnnxModelBuilder.TensorData("", ElemType.Float, OnnxModelBuilder.RawBytes(data), dims));

    public static OnnxAttr Tensor(string name, long[] data, params long[] dims) =>
        TensorOf(name, new OnnxModelBuilder.TensorData("", ElemType.Int64, OnnxModelBuilder.RawBytes(data), dims));

    /// <summary>A subgraph (If's then_branch/else_branch): the body's nodes and outputs; it may read values of the enclosing graph by name.</summary>
    public static OnnxAttr Graph(string name, OnnxModelBuilder body) =>
        new(name, w => { w.Message(6, g => body.WriteGraph(g, name)); w.Varint(20, 5); });

    private static OnnxAttr TensorOf(string name, OnnxModelBuilder.TensorData tensor) =>
        new(name, w => { w.Message(5, t => OnnxModelBuilder.WriteTensor(t, tensor)); w.Varint(20, 4); });

    internal void Write(ProtoWriter w)
    {
        w.String(1, Name);
        body(w);
    }
}

/// <summary>The protobuf wire format, write side: varints, fixed32 floats, length-delimited bytes and messages.</summary>
internal sealed class ProtoWriter(bool packRepeated)
{
    private readonly MemoryStream buffer = new();

    public byte[] ToArray() => buffer.ToArray();

    public void Varint(int field, long value)
    {
        Tag(field, 0);
        RawVarint((ulong)value);
    }

    public void Float(int field, float value)
    {
        Tag(field, 5);
        RawFloat(value);
    }

    public void Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        Tag(field, 2);
        RawVarint((ulong)bytes.Length);
        buffer.Write(bytes);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Message(int field, Action<ProtoWriter> body)
    {
        var inner = new ProtoWriter(packRepeated);
        body(inner);
        Bytes(field, inner.ToArray());
    }

    public void Int64s(int field, IReadOnlyList<long> values)
    {
        if (!packRepeated)
        {
            foreach (var v in values) Varint(field, v);
            return;
        }
        if (values.Count == 0) return;
        var packed = new ProtoWriter(packRepeated);
        foreach (var v in values) packed.RawVarint((ulong)v);
        Bytes(field, packed.ToArray());
    }

    public void Floats(int field, IReadOnlyList<float> values)
    {
        if (!packRepeated)
        {
            foreach (var v in values) Float(field, v);
            return;
        }
        if (values.Count == 0) return;
        var packed = new ProtoWriter(packRepeated);
        foreach (var v in values) packed.RawFloat(v);
        Bytes(field, packed.ToArray());
    }

    private void Tag(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

    private void RawVarint(ulong value)
    {
        // Negative int64s take all ten bytes: protobuf writes their two's complement, not a zigzag.
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.WriteByte((byte)value);
    }

    private void RawFloat(float value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        buffer.Write(bytes);
    }
}
