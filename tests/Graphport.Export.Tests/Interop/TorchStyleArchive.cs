using System.Text;
using System.Text.Json.Nodes;
using Graphport.Serialization;

namespace Graphport.Tests.Interop;

/// <summary>
/// Writes a .pt2 archive the way torch.export.save lays it out (no Graphport extras, torch's record order), from a
/// graph given as torch's serializer writes it: the tests that pin what torch's training IR records (item,
/// lift_fresh_copy, detach_, _assert_tensor_metadata, constant inputs, in-place ops on inputs) build their graphs
/// with these helpers instead of calling Python.
/// </summary>
internal static class TorchStyleArchive
{
    public const int F32 = 7, I64 = 5, I32 = 4;

    /// <summary>A node: target (torch.ops.aten.item.default), name, NamedArguments, outputs.</summary>
    public static JsonObject Node(string target, string name, JsonArray inputs, params JsonNode[] outputs) => new()
    {
        ["target"] = target,
        ["inputs"] = inputs,
        ["outputs"] = new JsonArray(outputs),
        ["metadata"] = new JsonObject(),
        ["is_hop_single_tensor_return"] = null,
        ["name"] = name,
    };

    /// <summary>The node's inputs: (schema name, argument, kind) with kind 1 positional and 2 keyword.</summary>
    public static JsonArray Inputs(params (string Name, JsonNode Arg, int Kind)[] inputs) =>
        new([.. inputs.Select(i => (JsonNode)new JsonObject { ["name"] = i.Name, ["arg"] = i.Arg, ["kind"] = i.Kind })]);

    public static JsonObject Tensor(string name) => new() { ["as_tensor"] = new JsonObject { ["name"] = name } };

    public static JsonObject SymInt(string name) => new() { ["as_sym_int"] = new JsonObject { ["as_name"] = name } };

    public static JsonObject SymBool(string name) => new() { ["as_sym_bool"] = new JsonObject { ["as_name"] = name } };

    public static JsonObject Int(long value) => new() { ["as_int"] = value };

    public static JsonObject String(string value) => new() { ["as_string"] = value };

    public static JsonObject None() => new() { ["as_none"] = true };

    public static JsonObject ScalarType(int code) => new() { ["as_scalar_type"] = code };

    /// <summary>A size: a number, or a sympy srepr expression ("Symbol('u0', integer=True)") with no hint.</summary>
    private static JsonObject Size(object size) => size is string expr
        ? new JsonObject { ["as_expr"] = new JsonObject { ["expr_str"] = expr, ["hint"] = null } }
        : Int(Convert.ToInt64(size));

    /// <summary>A TensorMeta with contiguous strides (the trailing sizes must be numbers where a stride needs them).</summary>
    public static JsonObject Meta(int dtype, params object[] sizes)
    {
        var strides = new JsonArray();
        for (int i = 0; i < sizes.Length; i++)
            strides.Add(Int(sizes.Skip(i + 1).Aggregate(1L, (a, s) => a * Convert.ToInt64(s))));
        return new JsonObject
        {
            ["dtype"] = dtype,
            ["sizes"] = new JsonArray([.. sizes.Select(s => (JsonNode)Size(s))]),
            ["requires_grad"] = false,
            ["device"] = new JsonObject { ["type"] = "cpu", ["index"] = null },
            ["strides"] = strides,
            ["storage_offset"] = Int(0),
            ["layout"] = 7,
        };
    }

    /// <summary>torch's in_spec for positional arguments that are all leaves (no keyword arguments).</summary>
    public static string ArgsSpec(int count)
    {
        var leaves = new JsonArray([.. Enumerable.Range(0, count).Select(_ => (JsonNode)Leaf())]);
        var args = new JsonObject { ["type"] = "builtins.tuple", ["context"] = "null", ["children_spec"] = leaves };
        var kwargs = new JsonObject { ["type"] = "builtins.dict", ["context"] = "[]", ["children_spec"] = new JsonArray() };
        return new JsonArray(1, new JsonObject { ["type"] = "builtins.tuple", ["context"] = "null", ["children_spec"] = new JsonArray(args, kwargs) }).ToJsonString();
    }

    /// <summary>torch's out_spec for a single leaf.</summary>
    public static string LeafSpec() => new JsonArray(1, Leaf()).ToJsonString();

    /// <summary>torch's out_spec for a tuple of leaves.</summary>
    public static string TupleSpec(int count) => new JsonArray(1, new JsonObject
    {
        ["type"] = "builtins.tuple",
        ["context"] = "null",
        ["children_spec"] = new JsonArray([.. Enumerable.Range(0, count).Select(_ => (JsonNode)Leaf())]),
    }).ToJsonString();

    private static JsonObject Leaf() => new() { ["type"] = null, ["context"] = null, ["children_spec"] = new JsonArray() };

    /// <summary>The model.json torch 2.14 writes for a graph, its signature and the root call structure.</summary>
    public static string Model(JsonArray graphInputs, JsonArray nodes, JsonArray graphOutputs, JsonObject tensorValues, JsonArray inputSpecs, JsonArray outputSpecs,
        string[] forwardArgNames, JsonObject? symIntValues = null, JsonObject? symBoolValues = null, JsonObject? rangeConstraints = null, string? outSpec = null) => new JsonObject
    {
        ["graph_module"] = new JsonObject
        {
            ["graph"] = new JsonObject
            {
                ["inputs"] = graphInputs,
                ["outputs"] = graphOutputs,
                ["nodes"] = nodes,
                ["tensor_values"] = tensorValues,
                ["sym_int_values"] = symIntValues ?? new JsonObject(),
                ["sym_bool_values"] = symBoolValues ?? new JsonObject(),
                ["is_single_tensor_return"] = false,
                ["custom_obj_values"] = new JsonObject(),
                ["sym_float_values"] = new JsonObject(),
            },
            ["signature"] = new JsonObject { ["input_specs"] = inputSpecs, ["output_specs"] = outputSpecs },
            ["module_call_graph"] = new JsonArray(new JsonObject
            {
                ["fqn"] = "",
                ["signature"] = new JsonObject
                {
                    ["inputs"] = new JsonArray(),
                    ["outputs"] = new JsonArray(),
                    ["in_spec"] = ArgsSpec(forwardArgNames.Length),
                    ["out_spec"] = outSpec ?? LeafSpec(),
                    ["forward_arg_names"] = new JsonArray([.. forwardArgNames.Select(n => (JsonNode)n)]),
                },
            }),
            ["metadata"] = new JsonObject(),
            ["treespec_namedtuple_fields"] = new JsonObject(),
        },
        ["opset_version"] = new JsonObject { ["aten"] = 10 },
        ["range_constraints"] = rangeConstraints ?? new JsonObject(),
        ["schema_version"] = new JsonObject { ["major"] = 8, ["minor"] = 20 },
        ["verifiers"] = new JsonArray("TRAINING"),
        ["torch_version"] = "2.14.1",
        ["guards_code"] = new JsonArray(),
    }.ToJsonString();

    /// <summary>A user input spec of a tensor, and a user output spec.</summary>
    public static JsonObject UserInput(string name) => new() { ["user_input"] = new JsonObject { ["arg"] = Tensor(name) } };

    public static JsonObject UserOutput(string name) => new() { ["user_output"] = new JsonObject { ["arg"] = Tensor(name) } };

    /// <summary>Writes the archive; <paramref name="constants"/> are float32 lifted constants (name, values, sizes).</summary>
    public static void Write(string path, string modelJson, params (string Name, float[] Values, long[] Sizes)[] constants)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        var zip = new AlignedZipWriter(stream, Path.GetFileNameWithoutExtension(path));
        zip.WriteText("data/weights/model_weights_config.json", "{\"config\": {}}");
        var config = new JsonObject();
        for (int i = 0; i < constants.Length; i++)
        {
            var (name, values, sizes) = constants[i];
            zip.Write($"data/constants/tensor_{i}", values.SelectMany(BitConverter.GetBytes).ToArray());
            config[name] = new JsonObject
            {
                ["path_name"] = $"tensor_{i}",
                ["is_param"] = false,
                ["use_pickle"] = false,
                ["tensor_meta"] = Meta(F32, [.. sizes.Cast<object>()]),
            };
        }
        zip.WriteText("data/constants/model_constants_config.json", new JsonObject { ["config"] = config }.ToJsonString());
        zip.Write("models/model.json", Encoding.UTF8.GetBytes(modelJson));
        WriteTrailer(zip);
    }

    /// <summary>The records torch.export.save writes after the model: sample inputs (not read here), format and versions.</summary>
    internal static void WriteTrailer(AlignedZipWriter zip)
    {
        zip.Write("data/sample_inputs/model.pt", Encoding.UTF8.GetBytes("PK-not-read-by-graphport"));
        zip.WriteText("archive_format", "pt2");
        zip.WriteText("archive_version", "0");
        zip.WriteText(".data/version", "6\n");
        zip.WriteText("byteorder", "little");
        zip.Finish();
    }
}
