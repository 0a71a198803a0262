namespace Graphport.Onnx;

/// <summary>
/// A parsed .onnx file (a ModelProto): IR version, producer, opset imports and the main graph. Load reads it from a
/// path (external data files are found next to it); Parse reads bytes already in memory.
/// </summary>
public sealed class OnnxModel
{
    private OnnxModel(string sourceName) => SourceName = sourceName;

    /// <summary>The file name messages and node metadata refer to.</summary>
    public string SourceName { get; }

    public long IrVersion { get; private set; }

    public string ProducerName { get; private set; } = "";

    public string ProducerVersion { get; private set; } = "";

    /// <summary>Opset version by domain ("" is the standard ai.onnx domain).</summary>
    public IReadOnlyDictionary<string, long> OpsetImports => opsets;

    /// <summary>The ai.onnx opset the model was written against (decides attribute-vs-input forms of several ops).</summary>
    public long Opset => opsets.TryGetValue("", out var v) ? v : opsets.TryGetValue("ai.onnx", out var w) ? w : 1;

    public OnnxGraph Graph { get; private set; } = new();

    private readonly Dictionary<string, long> opsets = new(StringComparer.Ordinal);

    public static OnnxModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new OnnxImportException($"No ONNX model at '{path}': the file does not exist.");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxImportException($"Cannot read the ONNX model '{path}': {e.Message}", e);
        }
        return Parse(bytes, Path.GetFileName(path), Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    public static OnnxModel Parse(byte[] bytes, string sourceName = "model.onnx") => Parse(bytes, sourceName, null);

    private static OnnxModel Parse(byte[] bytes, string sourceName, string? baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var model = new OnnxModel(sourceName);
        try
        {
            model.Read(bytes, baseDirectory);
        }
        catch (OnnxFormatException e)
        {
            throw NotOnnx(sourceName, e.Message, e);
        }
        if (model.IrVersion <= 0 || model.Graph.Nodes.Count == 0 && model.Graph.Outputs.Count == 0)
            throw NotOnnx(sourceName, "it has no IR version and no graph", null);
        return model;
    }

    private static OnnxImportException NotOnnx(string sourceName, string detail, Exception? inner) =>
        new($"{sourceName} is not a valid ONNX model ({detail}). Check that it is a complete .onnx file (ModelProto), not a truncated download or another format.", inner);

    private void Read(ReadOnlyMemory<byte> data, string? baseDirectory)
    {
        var reader = new ProtoReader(data.Span);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1:
                    reader.Expect(wire, 0, "ir_version");
                    IrVersion = reader.ReadInt64();
                    break;
                case 2:
                    reader.Expect(wire, 2, "producer_name");
                    ProducerName = reader.ReadString();
                    break;
                case 3:
                    reader.Expect(wire, 2, "producer_version");
                    ProducerVersion = reader.ReadString();
                    break;
                case 7:
                    reader.Expect(wire, 2, "graph");
                    Graph = ReadGraph(Slice(data, reader.ReadRange()), baseDirectory);
                    break;
                case 8:
                    reader.Expect(wire, 2, "opset_import");
                    ReadOpset(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> data, (int Offset, int Length) range) => data.Slice(range.Offset, range.Length);

    private void ReadOpset(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        string domain = "";
        long version = 0;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            if (field == 1 && wire == 2) domain = reader.ReadString();
            else if (field == 2 && wire == 0) version = reader.ReadInt64();
            else reader.Skip(wire);
        }
        opsets[domain] = version;
    }

    private static OnnxGraph ReadGraph(ReadOnlyMemory<byte> data, string? baseDirectory)
    {
        var graph = new OnnxGraph();
        var reader = new ProtoReader(data.Span);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1:
                    reader.Expect(wire, 2, "node");
                    var node = ReadNode(Slice(data, reader.ReadRange()), baseDirectory);
                    node.Index = graph.Nodes.Count;
                    graph.Nodes.Add(node);
                    break;
                case 2:
                    reader.Expect(wire, 2, "graph name");
                    graph.Name = reader.ReadString();
                    break;
                case 5:
                    reader.Expect(wire, 2, "initializer");
                    graph.Initializers.Add(ReadTensor(Slice(data, reader.ReadRange()), baseDirectory));
                    break;
                case 11:
                    reader.Expect(wire, 2, "input");
                    graph.Inputs.Add(ReadValueInfo(reader.ReadBytes()));
                    break;
                case 12:
                    reader.Expect(wire, 2, "output");
                    graph.Outputs.Add(ReadValueInfo(reader.ReadBytes()));
                    break;
                case 13:
                    reader.Expect(wire, 2, "value_info");
                    graph.ValueInfo.Add(ReadValueInfo(reader.ReadBytes()));
                    break;
                case 15:
                    throw new OnnxFormatException("a sparse initializer, which Graphport does not read yet (densify it with onnx's tools first)");
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return graph;
    }

    private static OnnxNode ReadNode(ReadOnlyMemory<byte> data, string? baseDirectory)
    {
        var node = new OnnxNode();
        var reader = new ProtoReader(data.Span);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1: reader.Expect(wire, 2, "node input"); node.Inputs.Add(reader.ReadString()); break;
                case 2: reader.Expect(wire, 2, "node output"); node.Outputs.Add(reader.ReadString()); break;
                case 3: reader.Expect(wire, 2, "node name"); node.Name = reader.ReadString(); break;
                case 4: reader.Expect(wire, 2, "op_type"); node.OpType = reader.ReadString(); break;
                case 7: reader.Expect(wire, 2, "domain"); node.Domain = reader.ReadString(); break;
                case 5:
                    reader.Expect(wire, 2, "attribute");
                    var attribute = ReadAttribute(Slice(data, reader.ReadRange()), baseDirectory);
                    node.Attributes[attribute.Name] = attribute;
                    break;
                default: reader.Skip(wire); break;
            }
        }
        return node;
    }

    private static OnnxAttribute ReadAttribute(ReadOnlyMemory<byte> data, string? baseDirectory)
    {
        var reader = new ProtoReader(data.Span);
        var a = new OnnxAttribute();
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1: reader.Expect(wire, 2, "attribute name"); a.Name = reader.ReadString(); break;
                case 20: reader.Expect(wire, 0, "attribute type"); a.Type = (OnnxAttributeType)reader.ReadInt64(); break;
                case 2: reader.Expect(wire, 5, "attribute f"); a.Float = reader.ReadFloat(); break;
                case 3: reader.Expect(wire, 0, "attribute i"); a.Int = reader.ReadInt64(); break;
                case 4: reader.Expect(wire, 2, "attribute s"); a.Bytes = reader.ReadBytes().ToArray(); break;
                case 5: reader.Expect(wire, 2, "attribute t"); a.Tensor = ReadTensor(Slice(data, reader.ReadRange()), baseDirectory); break;
                case 6: reader.Expect(wire, 2, "attribute g"); a.Graph = ReadGraph(Slice(data, reader.ReadRange()), baseDirectory); break;
                case 7: reader.ReadFloats(wire, a.Floats); break;
                case 8: reader.ReadInt64s(wire, a.Ints); break;
                case 9: reader.Expect(wire, 2, "attribute strings"); a.Strings.Add(reader.ReadString()); break;
                case 10: reader.Expect(wire, 2, "attribute tensors"); a.Tensors.Add(ReadTensor(Slice(data, reader.ReadRange()), baseDirectory)); break;
                case 11: reader.Expect(wire, 2, "attribute graphs"); a.Graphs.Add(ReadGraph(Slice(data, reader.ReadRange()), baseDirectory)); break;
                default: reader.Skip(wire); break;
            }
        }
        a.InferTypeIfMissing();
        return a;
    }

    private static OnnxTensor ReadTensor(ReadOnlyMemory<byte> data, string? baseDirectory)
    {
        var reader = new ProtoReader(data.Span);
        var dims = new List<long>();
        var type = OnnxDataType.Undefined;
        string name = "";
        ReadOnlyMemory<byte> raw = default;
        bool hasRaw = false;
        var floats = new List<float>();
        var int64s = new List<long>();
        var int32s = new List<long>();
        var doubles = new List<double>();
        var external = new Dictionary<string, string>(StringComparer.Ordinal);
        bool externalLocation = false;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1: reader.ReadInt64s(wire, dims); break;
                case 2: reader.Expect(wire, 0, "tensor data_type"); type = (OnnxDataType)reader.ReadInt64(); break;
                case 4: reader.ReadFloats(wire, floats); break;
                case 5: reader.ReadInt64s(wire, int32s); break;
                case 7: reader.ReadInt64s(wire, int64s); break;
                case 8: reader.Expect(wire, 2, "tensor name"); name = reader.ReadString(); break;
                case 9:
                    reader.Expect(wire, 2, "tensor raw_data");
                    raw = Slice(data, reader.ReadRange());
                    hasRaw = true;
                    break;
                case 10: reader.ReadDoubles(wire, doubles); break;
                case 11: reader.ReadInt64s(wire, int64s); break;
                case 13:
                    reader.Expect(wire, 2, "tensor external_data");
                    var (key, value) = ReadStringPair(reader.ReadBytes());
                    external[key] = value;
                    break;
                case 14: reader.Expect(wire, 0, "tensor data_location"); externalLocation = reader.ReadInt64() == 1; break;
                default: reader.Skip(wire); break;
            }
        }
        if (dims.Any(d => d < 0)) throw new OnnxFormatException($"tensor '{name}' with a negative dimension [{string.Join(", ", dims)}]");
        var tensor = new OnnxTensor(name, type, dims.ToArray()) { Raw = raw, HasRaw = hasRaw, BaseDirectory = baseDirectory };
        tensor.Floats.AddRange(floats);
        tensor.Int64s.AddRange(int64s);
        tensor.Int32s.AddRange(int32s);
        tensor.Doubles.AddRange(doubles);
        if (externalLocation || external.Count > 0)
            foreach (var (k, v) in external) tensor.External[k] = v;
        return tensor;
    }

    private static (string Key, string Value) ReadStringPair(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        string key = "", value = "";
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            if (field == 1 && wire == 2) key = reader.ReadString();
            else if (field == 2 && wire == 2) value = reader.ReadString();
            else reader.Skip(wire);
        }
        return (key, value);
    }

    private static OnnxValueInfo ReadValueInfo(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        string name = "";
        var type = OnnxDataType.Undefined;
        List<OnnxDim>? shape = null;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            if (field == 1 && wire == 2) name = reader.ReadString();
            else if (field == 2 && wire == 2) (type, shape) = ReadType(reader.ReadBytes());
            else reader.Skip(wire);
        }
        return new OnnxValueInfo(name, type, shape);
    }

    private static (OnnxDataType, List<OnnxDim>?) ReadType(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        var type = OnnxDataType.Undefined;
        List<OnnxDim>? shape = null;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            if (field != 1 || wire != 2)
            {
                reader.Skip(wire);
                continue;
            }
            var tensorType = new ProtoReader(reader.ReadBytes());
            while (!tensorType.AtEnd)
            {
                var (f, w) = tensorType.ReadKey();
                if (f == 1 && w == 0) type = (OnnxDataType)tensorType.ReadInt64();
                else if (f == 2 && w == 2) shape = ReadShape(tensorType.ReadBytes());
                else tensorType.Skip(w);
            }
        }
        return (type, shape);
    }

    private static List<OnnxDim> ReadShape(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        var dims = new List<OnnxDim>();
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            if (field != 1 || wire != 2)
            {
                reader.Skip(wire);
                continue;
            }
            var dim = new ProtoReader(reader.ReadBytes());
            long? value = null;
            string? param = null;
            while (!dim.AtEnd)
            {
                var (f, w) = dim.ReadKey();
                if (f == 1 && w == 0) value = dim.ReadInt64();
                else if (f == 2 && w == 2) param = dim.ReadString();
                else dim.Skip(w);
            }
            dims.Add(new OnnxDim(value, param));
        }
        return dims;
    }
}
