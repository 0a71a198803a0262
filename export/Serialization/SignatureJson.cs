using System.Globalization;
using System.Text.Json.Nodes;

namespace Graphport.Serialization;

/// <summary>The schema's GraphSignature: one InputSpec / OutputSpec union per graph input and output, in order.</summary>
internal static class SignatureJson
{
    public static JsonObject Write(ExportGraphSignature signature) => new()
    {
        ["input_specs"] = new JsonArray([.. signature.InputSpecs.Select(s => (JsonNode)Input(s))]),
        ["output_specs"] = new JsonArray([.. signature.OutputSpecs.Select(s => (JsonNode)Output(s))]),
    };

    private static JsonObject Input(InputSpec spec) => spec.Kind switch
    {
        InputKind.UserInput when spec.Arg is ConstantArgument c => Union("constant_input", new JsonObject { ["name"] = c.Name, ["value"] = ConstantValue(c.Value) }),
        InputKind.UserInput => Union("user_input", new JsonObject { ["arg"] = ArgumentOf(spec.Arg) }),
        InputKind.Parameter => Union("parameter", new JsonObject { ["arg"] = Tensor(spec), ["parameter_name"] = Target(spec) }),
        InputKind.Buffer => Union("buffer", new JsonObject { ["arg"] = Tensor(spec), ["buffer_name"] = Target(spec), ["persistent"] = spec.Persistent ?? true }),
        InputKind.ConstantTensor => Union("tensor_constant", new JsonObject { ["arg"] = Tensor(spec), ["tensor_constant_name"] = Target(spec) }),
        _ => throw new ExportException($"Cannot save the input spec {spec}: Graphport has no serialized form for {spec.Kind} inputs."),
    };

    private static JsonObject Output(OutputSpec spec) => spec.Kind switch
    {
        OutputKind.UserOutput => Union("user_output", new JsonObject { ["arg"] = ArgumentOf(spec.Arg) }),
        OutputKind.LossOutput => Union("loss_output", new JsonObject { ["arg"] = Tensor(spec.Arg) }),
        OutputKind.BufferMutation => Union("buffer_mutation", new JsonObject { ["arg"] = Tensor(spec.Arg), ["buffer_name"] = Target(spec.Target, spec) }),
        OutputKind.ParameterMutation => Union("parameter_mutation", new JsonObject { ["arg"] = Tensor(spec.Arg), ["parameter_name"] = Target(spec.Target, spec) }),
        OutputKind.GradientToParameter => Union("gradient_to_parameter", new JsonObject { ["arg"] = Tensor(spec.Arg), ["parameter_name"] = Target(spec.Target, spec) }),
        OutputKind.GradientToUserInput => Union("gradient_to_user_input", new JsonObject { ["arg"] = Tensor(spec.Arg), ["user_input_name"] = Target(spec.Target, spec) }),
        OutputKind.UserInputMutation => Union("user_input_mutation", new JsonObject { ["arg"] = Tensor(spec.Arg), ["user_input_name"] = Target(spec.Target, spec) }),
        _ => throw new ExportException($"Cannot save the output spec {spec}: Graphport has no serialized form for {spec.Kind} outputs."),
    };

    private static JsonObject Union(string tag, JsonNode value) => new() { [tag] = value };

    private static JsonObject Tensor(InputSpec spec) => Tensor(spec.Arg);

    private static JsonObject Tensor(SignatureArgument arg) => arg is TensorArgument t
        ? new JsonObject { ["name"] = t.Name }
        : throw new ExportException($"Cannot save {arg}: this kind of spec needs a tensor.");

    private static string Target(InputSpec spec) => Target(spec.Target, spec);

    private static string Target(string? target, object spec) => target ?? throw new ExportException($"Cannot save {spec}: it names no state.");

    /// <summary>A signature argument as the Argument union (tensors and sizes by name, constants by value).</summary>
    public static JsonObject ArgumentOf(SignatureArgument arg) => arg switch
    {
        TensorArgument t => Union("as_tensor", new JsonObject { ["name"] = t.Name }),
        SymIntArgument s => Union("as_sym_int", new JsonObject { ["as_name"] = s.Name }),
        ConstantArgument c => ConstantValue(c.Value),
        _ => throw new ExportException($"Cannot save the signature argument {arg}."),
    };

    /// <summary>Whether <see cref="ConstantValue"/> can write the value: the schema's ConstantValue holds these kinds only.</summary>
    public static bool IsConstantValue(object? value) => value is null or bool or long or int or double or string or SymInt { IsSymbolic: false };

    /// <summary>A constant as the schema's ConstantValue union (whose tags the Argument union shares).</summary>
    public static JsonObject ConstantValue(object? value) => value switch
    {
        null => Union("as_none", true),
        bool b => Union("as_bool", b),
        long l => Union("as_int", l),
        int i => Union("as_int", i),
        double d when double.IsFinite(d) => Union("as_float", Float(d)),
        double d => Union("as_float", double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity"),
        string s => Union("as_string", s),
        SymInt { IsSymbolic: false } s => Union("as_int", s.AsConstant!.Value),
        _ => throw new ExportException($"Cannot save the constant {value} ({value.GetType().Name}) of a program's signature."),
    };

    /// <summary>
    /// A finite float as Python's json writes it, with a point or an exponent (<c>2.0</c>, <c>-0.0</c>): torch's
    /// reader takes <c>2</c> for the int 2, so a program returning the float 2.0 would return 2 in torch.
    /// </summary>
    private static JsonNode Float(double d)
    {
        string text = d.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('.') && !text.Contains('E') && !text.Contains('e')) text += ".0";
        return JsonNode.Parse(text)!;
    }

    public static ExportGraphSignature Read(JsonCursor signature)
    {
        var inputs = signature.Field("input_specs").Items().Select(ReadInput).ToList();
        var outputs = signature.Field("output_specs").Items().Select(ReadOutput).ToList();
        return new ExportGraphSignature(inputs, outputs);
    }

    private static InputSpec ReadInput(JsonCursor c)
    {
        var (tag, v) = c.Union();
        return tag switch
        {
            "user_input" => new InputSpec(InputKind.UserInput, ReadArgument(v.Field("arg")), null),
            "constant_input" => new InputSpec(InputKind.UserInput, new ConstantArgument(v.Field("name").String(), ReadConstant(v.Field("value"))), null),
            "parameter" => new InputSpec(InputKind.Parameter, TensorName(v.Field("arg")), v.Field("parameter_name").String()),
            "buffer" => new InputSpec(InputKind.Buffer, TensorName(v.Field("arg")), v.Field("buffer_name").String(), v.Optional("persistent")?.Bool() ?? true),
            "tensor_constant" => new InputSpec(InputKind.ConstantTensor, TensorName(v.Field("arg")), v.Field("tensor_constant_name").String()),
            _ => throw c.Error($"the input kind \"{tag}\" is not supported by Graphport (it supports user inputs, parameters, buffers and tensor constants)."),
        };
    }

    private static OutputSpec ReadOutput(JsonCursor c)
    {
        var (tag, v) = c.Union();
        return tag switch
        {
            "user_output" => new OutputSpec(OutputKind.UserOutput, ReadArgument(v.Field("arg")), null),
            "loss_output" => new OutputSpec(OutputKind.LossOutput, TensorName(v.Field("arg")), null),
            "buffer_mutation" => new OutputSpec(OutputKind.BufferMutation, TensorName(v.Field("arg")), v.Field("buffer_name").String()),
            "parameter_mutation" => new OutputSpec(OutputKind.ParameterMutation, TensorName(v.Field("arg")), v.Field("parameter_name").String()),
            "gradient_to_parameter" => new OutputSpec(OutputKind.GradientToParameter, TensorName(v.Field("arg")), v.Field("parameter_name").String()),
            "gradient_to_user_input" => new OutputSpec(OutputKind.GradientToUserInput, TensorName(v.Field("arg")), v.Field("user_input_name").String()),
            "user_input_mutation" => new OutputSpec(OutputKind.UserInputMutation, TensorName(v.Field("arg")), v.Field("user_input_name").String()),
            _ => throw c.Error($"the output kind \"{tag}\" is not supported by Graphport."),
        };
    }

    /// <summary>A TensorArgument ({"name": ...}); some writers wrap it as an Argument ({"as_tensor": {...}}).</summary>
    private static TensorArgument TensorName(JsonCursor c) =>
        c.Has("as_tensor") ? new TensorArgument(c.Field("as_tensor").Field("name").String()) : new TensorArgument(c.Field("name").String());

    public static SignatureArgument ReadArgument(JsonCursor c)
    {
        var (tag, v) = c.Union();
        return tag switch
        {
            "as_tensor" => new TensorArgument(v.Field("name").String()),
            "as_sym_int" when v.Has("as_name") => new SymIntArgument(v.Field("as_name").String()),
            "as_sym_float" when v.Has("as_name") => throw c.Error(
                $"the value {v.Field("as_name").String()} is a symbolic float (SymFloat, such as x.shape[0] / 2), which Graphport cannot hold: its sizes are " +
                "integers. Return it as a tensor (torch.tensor(x.shape[0]) / 2), or return the integer size and divide it after the call."),
            "as_sym_bool" when v.Has("as_name") => throw c.Error(
                $"the value {v.Field("as_name").String()} is a symbolic bool (SymBool, such as x.shape[0] > 2), which Graphport does not take or return. " +
                "Return it as a tensor, or return the size and compare it after the call."),
            _ => new ConstantArgument("", ReadConstant(c)),
        };
    }

    /// <summary>A ConstantValue or a constant Argument (the two unions share their tags).</summary>
    public static object? ReadConstant(JsonCursor c)
    {
        var (tag, v) = c.Union();
        return tag switch
        {
            "as_none" => null,
            "as_int" => v.Int64(),
            "as_float" => v.Double(),
            "as_string" => v.String(),
            "as_bool" => v.Bool(),
            "as_sym_int" when v.Has("as_int") => v.Field("as_int").Int64(),
            _ => throw c.Error($"\"{tag}\" is not a constant Graphport can read here."),
        };
    }
}
