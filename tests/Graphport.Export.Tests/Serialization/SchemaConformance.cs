using System.Text.Json;

namespace Graphport.Tests.Serialization;

/// <summary>
/// Checks a JSON document against the structs and unions of torch's serialized-program schema at version 8.6
/// (field names and types as schema.yaml lists them). torch's reader builds each dataclass with cls(**fields): an
/// unknown field or a missing required one makes it fail, so every object must match its struct exactly.
/// "name?" marks a field with a default (it may be left out); "T?" a value that may be null.
/// </summary>
internal static class SchemaConformance
{
    private static readonly Dictionary<string, (bool Union, Dictionary<string, (string Type, bool HasDefault)> Fields)> Types = Parse("""
        struct ExportedProgram: graph_module GraphModule; opset_version {int}; range_constraints {RangeConstraint}; schema_version SchemaVersion; verifiers? [str]; torch_version? str
        struct GraphModule: graph Graph; signature GraphSignature; module_call_graph [ModuleCallEntry]; metadata? {str}
        struct Graph: inputs [Argument]; outputs [Argument]; nodes [Node]; tensor_values {TensorMeta}; sym_int_values {SymInt}; sym_bool_values {SymBool}; is_single_tensor_return? bool; custom_obj_values? {CustomObjArgument}; sym_float_values? {SymFloat}
        struct Node: target str; inputs [NamedArgument]; outputs [Argument]; metadata {str}; is_hop_single_tensor_return? bool?
        struct NamedArgument: name str; arg Argument; kind? int?
        union Argument: as_none bool; as_tensor TensorArgument; as_tensors [TensorArgument]; as_int int; as_ints [int]; as_float float; as_floats [float]; as_string str; as_strings [str]; as_sym_int SymIntArgument; as_sym_ints [SymIntArgument]; as_scalar_type int; as_memory_format int; as_layout int; as_device Device; as_bool bool; as_bools [bool]; as_sym_bool SymBoolArgument; as_sym_bools [SymBoolArgument]; as_graph GraphArgument; as_optional_tensors [OptionalTensorArgument]; as_custom_obj CustomObjArgument; as_operator str; as_sym_float SymFloatArgument; as_sym_floats [SymFloatArgument]
        struct TensorArgument: name str
        struct GraphArgument: name str; graph Graph
        struct CustomObjArgument: name str; class_fqn str
        union OptionalTensorArgument: as_tensor TensorArgument; as_none bool
        union SymIntArgument: as_name str; as_int int
        union SymBoolArgument: as_name str; as_bool bool
        union SymFloatArgument: as_name str; as_float float
        struct Device: type str; index? int?
        struct TensorMeta: dtype int; sizes [SymInt]; requires_grad bool; device Device; strides [SymInt]; storage_offset SymInt; layout int
        union SymInt: as_expr SymExpr; as_int int
        union SymBool: as_expr SymExpr; as_bool bool
        union SymFloat: as_expr SymExpr; as_float float
        struct SymExpr: expr_str str; hint? SymExprHint?
        union SymExprHint: as_int int; as_bool bool; as_float float
        struct GraphSignature: input_specs [InputSpec]; output_specs [OutputSpec]
        union InputSpec: user_input UserInputSpec; parameter InputToParameterSpec; buffer InputToBufferSpec; tensor_constant InputToTensorConstantSpec; custom_obj InputToCustomObjSpec; token InputTokenSpec; constant_input InputToConstantInputSpec
        struct UserInputSpec: arg Argument
        struct InputToParameterSpec: arg TensorArgument; parameter_name str
        struct InputToBufferSpec: arg TensorArgument; buffer_name str; persistent bool
        struct InputToTensorConstantSpec: arg TensorArgument; tensor_constant_name str
        struct InputToCustomObjSpec: arg CustomObjArgument; custom_obj_name str
        struct InputTokenSpec: arg TensorArgument
        struct InputToConstantInputSpec: name str; value ConstantValue
        union ConstantValue: as_none bool; as_int int; as_float float; as_string str; as_bool bool
        union OutputSpec: user_output UserOutputSpec; loss_output LossOutputSpec; buffer_mutation BufferMutationSpec; gradient_to_parameter GradientToParameterSpec; gradient_to_user_input GradientToUserInputSpec; user_input_mutation UserInputMutationSpec; token OutputTokenSpec
        struct UserOutputSpec: arg Argument
        struct LossOutputSpec: arg TensorArgument
        struct BufferMutationSpec: arg TensorArgument; buffer_name str
        struct GradientToParameterSpec: arg TensorArgument; parameter_name str
        struct GradientToUserInputSpec: arg TensorArgument; user_input_name str
        struct UserInputMutationSpec: arg TensorArgument; user_input_name str
        struct OutputTokenSpec: arg TensorArgument
        struct RangeConstraint: min_val int?; max_val int?
        struct ModuleCallEntry: fqn str; signature? ModuleCallSignature?
        struct ModuleCallSignature: inputs [Argument]; outputs [Argument]; in_spec str; out_spec str; forward_arg_names? [str]?
        struct SchemaVersion: major int; minor int
        struct PayloadConfig: config {PayloadMeta}
        struct PayloadMeta: path_name str; is_param bool; use_pickle bool; tensor_meta TensorMeta?
        """);

    /// <summary>Returns the violations (empty when the document conforms).</summary>
    public static List<string> Check(string json, string rootType)
    {
        var problems = new List<string>();
        using var doc = JsonDocument.Parse(json);
        Value(doc.RootElement, rootType, "$", problems);
        return problems;
    }

    private static void Value(JsonElement e, string type, string path, List<string> problems)
    {
        if (type.EndsWith('?'))
        {
            if (e.ValueKind == JsonValueKind.Null) return;
            type = type[..^1];
        }
        if (type.StartsWith('['))
        {
            if (e.ValueKind != JsonValueKind.Array) { problems.Add($"{path}: expected a list"); return; }
            int i = 0;
            foreach (var item in e.EnumerateArray()) Value(item, type[1..^1], $"{path}[{i++}]", problems);
            return;
        }
        if (type.StartsWith('{'))
        {
            if (e.ValueKind != JsonValueKind.Object) { problems.Add($"{path}: expected a dict"); return; }
            foreach (var p in e.EnumerateObject()) Value(p.Value, type[1..^1], $"{path}['{p.Name}']", problems);
            return;
        }
        switch (type)
        {
            case "int":
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out _)) problems.Add($"{path}: expected an int, got {e.GetRawText()}");
                return;
            case "float":
                if (e.ValueKind != JsonValueKind.Number && !(e.ValueKind == JsonValueKind.String && e.GetString() is "NaN" or "Infinity" or "-Infinity"))
                    problems.Add($"{path}: expected a float, got {e.GetRawText()}");
                return;
            case "str":
                if (e.ValueKind != JsonValueKind.String) problems.Add($"{path}: expected a string, got {e.GetRawText()}");
                return;
            case "bool":
                if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) problems.Add($"{path}: expected a bool, got {e.GetRawText()}");
                return;
        }
        var (union, fields) = Types[type];
        if (e.ValueKind != JsonValueKind.Object) { problems.Add($"{path}: expected a {type} object"); return; }
        var present = e.EnumerateObject().Select(p => p.Name).ToList();
        foreach (var name in present.Where(n => !fields.ContainsKey(n))) problems.Add($"{path}: {type} has no field \"{name}\"");
        if (union)
        {
            if (present.Count != 1) problems.Add($"{path}: the union {type} must have exactly one field, has {present.Count}");
        }
        else
        {
            foreach (var (name, field) in fields.Where(f => !f.Value.HasDefault && !present.Contains(f.Key)))
                problems.Add($"{path}: {type} is missing the required field \"{name}\"");
        }
        foreach (var p in e.EnumerateObject())
            if (fields.TryGetValue(p.Name, out var field)) Value(p.Value, field.Type, $"{path}.{p.Name}", problems);
    }

    private static Dictionary<string, (bool, Dictionary<string, (string, bool)>)> Parse(string text)
    {
        var types = new Dictionary<string, (bool, Dictionary<string, (string, bool)>)>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (head, body) = (line[..line.IndexOf(':')], line[(line.IndexOf(':') + 1)..]);
            var words = head.Split(' ');
            var fields = new Dictionary<string, (string, bool)>();
            foreach (var f in body.Split(';', StringSplitOptions.TrimEntries))
            {
                var parts = f.Split(' ', 2);
                bool hasDefault = parts[0].EndsWith('?');
                fields[parts[0].TrimEnd('?')] = (parts[1], hasDefault);
            }
            types[words[1]] = (words[0] == "union", fields);
        }
        return types;
    }
}
