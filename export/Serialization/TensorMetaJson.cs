using System.Text.Json.Nodes;

namespace Graphport.Serialization;

/// <summary>
/// The schema's TensorMeta: dtype, sizes and strides as SymInts, storage offset, layout and device. Graphport
/// tensors are dense, strided and on the CPU, so those fields are fixed when written and checked when read.
/// </summary>
internal static class TensorMetaJson
{
    public static JsonObject Write(TensorMeta meta, SymbolicWriter sym, bool requiresGrad = false) => new()
    {
        ["dtype"] = ScalarTypes.Of(meta.DType),
        ["sizes"] = new JsonArray([.. meta.Shape.Select(s => (JsonNode)sym.SymInt(s))]),
        ["requires_grad"] = requiresGrad,
        ["device"] = Cpu(),
        ["strides"] = new JsonArray([.. meta.Strides.Select(s => (JsonNode)sym.SymInt(s))]),
        ["storage_offset"] = new JsonObject { ["as_int"] = 0 },
        ["layout"] = ScalarTypes.StridedLayout,
    };

    /// <summary>The meta of a real tensor (a weight): concrete sizes, strides and offset.</summary>
    public static JsonObject WriteConcrete(Tensor tensor, bool requiresGrad) => new()
    {
        ["dtype"] = ScalarTypes.Of(tensor.DType),
        ["sizes"] = new JsonArray([.. tensor.Sizes.Select(s => (JsonNode)new JsonObject { ["as_int"] = s })]),
        ["requires_grad"] = requiresGrad,
        ["device"] = Cpu(),
        ["strides"] = new JsonArray([.. tensor.Strides.Select(s => (JsonNode)new JsonObject { ["as_int"] = s })]),
        ["storage_offset"] = new JsonObject { ["as_int"] = tensor.StorageOffset },
        ["layout"] = ScalarTypes.StridedLayout,
    };

    private static JsonObject Cpu() => new() { ["type"] = "cpu", ["index"] = null };

    public static DType ReadDType(JsonCursor meta)
    {
        var field = meta.Field("dtype");
        long code = field.Int64();
        if (!ScalarTypes.TryParse(code, out var dtype))
            throw field.Error($"the dtype {ScalarTypes.Name(code)} is not supported by Graphport (it has float32/64, float16, bfloat16, int64/32/8, uint8 and bool).");
        return dtype;
    }

    public static void CheckLayout(JsonCursor meta)
    {
        if (meta.Optional("layout") is { } layout && layout.Int64() != ScalarTypes.StridedLayout)
            throw layout.Error($"only strided (dense) tensors are supported; this one has layout {layout.Int64()}.");
    }

    /// <summary>The schema's ScalarType code of complex64 (torch's COMPLEXFLOAT).</summary>
    public const long ComplexFloatCode = 10;

    /// <summary>The schema's ScalarType code of complex128 (torch's COMPLEXDOUBLE).</summary>
    public const long ComplexDoubleCode = 11;

    /// <summary>
    /// A symbolic meta (a graph value). A complex64 value (Llama 4's rotary embedding) is read as float32 with a
    /// trailing (real, imaginary) pair, as view_as_real lays it out; ComplexLowering rewrites the ops around it.
    /// </summary>
    public static TensorMeta Read(JsonCursor meta, Func<JsonCursor, SymInt> symInt, bool complexAsPairs = true)
    {
        // Only complex64 has a real-pair form here; a complex128 value is read as it is, with the whole program.
        if (complexAsPairs && meta.Field("dtype").Int64() == ComplexDoubleCode)
            throw ComplexLoweringException.From(meta, "a complex128 value is read as it is.");
        if (complexAsPairs && meta.Field("dtype").Int64() == ComplexFloatCode)
        {
            CheckLayout(meta);
            var complexSizes = meta.Field("sizes").Items().Select(symInt).ToArray();
            var complexStrides = meta.Field("strides").Items().Select(symInt).ToArray();
            if (complexStrides.Length != complexSizes.Length) throw meta.Error($"{complexSizes.Length} sizes but {complexStrides.Length} strides.");
            return new TensorMeta(DType.Float32, [.. complexSizes, 2], [.. complexStrides.Select(s => s * 2), 1]);
        }
        var dtype = ReadDType(meta);
        CheckLayout(meta);
        var sizes = meta.Field("sizes").Items().Select(symInt).ToArray();
        var strides = meta.Field("strides").Items().Select(symInt).ToArray();
        if (strides.Length != sizes.Length) throw meta.Error($"{sizes.Length} sizes but {strides.Length} strides.");
        return new TensorMeta(dtype, sizes, strides);
    }

    /// <summary>The concrete sizes, strides and offset of a stored tensor.</summary>
    public static (DType DType, long[] Sizes, long[] Strides, long Offset, bool RequiresGrad) ReadConcrete(JsonCursor meta)
    {
        var dtype = ReadDType(meta);
        CheckLayout(meta);
        var sizes = meta.Field("sizes").Items().Select(ConcreteInt).ToArray();
        var strides = meta.Field("strides").Items().Select(ConcreteInt).ToArray();
        if (strides.Length != sizes.Length) throw meta.Error($"{sizes.Length} sizes but {strides.Length} strides.");
        long offset = ConcreteInt(meta.Field("storage_offset"));
        if (sizes.Any(s => s < 0) || strides.Any(s => s < 0) || offset < 0) throw meta.Error("sizes, strides and the storage offset of a stored tensor must not be negative.");
        bool requiresGrad = meta.Optional("requires_grad")?.Bool() ?? false;
        return (dtype, sizes, strides, offset, requiresGrad);
    }

    private static long ConcreteInt(JsonCursor c)
    {
        var (tag, value) = c.Union();
        return tag == "as_int" ? value.Int64() : throw c.Error($"a stored tensor needs concrete sizes, found {tag}.");
    }
}
