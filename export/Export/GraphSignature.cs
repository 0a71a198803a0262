namespace Graphport;

/// <summary>What a graph input stands for (torch.export.graph_signature.InputKind; values as torch numbers them).</summary>
public enum InputKind
{
    UserInput = 1,
    Parameter = 2,
    Buffer = 3,
    ConstantTensor = 4,
    CustomObj = 5,
    Token = 6,
}

/// <summary>What a graph output stands for (torch's OutputKind).</summary>
public enum OutputKind
{
    UserOutput = 1,
    LossOutput = 2,
    BufferMutation = 3,
    ParameterMutation = 4,
    GradientToParameter = 5,
    GradientToUserInput = 6,
    UserInputMutation = 7,
    Token = 8,
}

/// <summary>A graph value named in a signature: a tensor, a symbolic int, or a constant.</summary>
public abstract record SignatureArgument(string Name);

public sealed record TensorArgument(string Name) : SignatureArgument(Name)
{
    public override string ToString() => $"TensorArgument(name='{Name}')";
}

public sealed record SymIntArgument(string Name) : SignatureArgument(Name)
{
    public override string ToString() => $"SymIntArgument(name='{Name}')";
}

public sealed record ConstantArgument(string Name, object? Value) : SignatureArgument(Name)
{
    public override string ToString() => $"ConstantArgument(name='{Name}', value={Graphs.PythonRepr.Format(Value, n => n.Name)})";
}

public sealed record InputSpec(InputKind Kind, SignatureArgument Arg, string? Target, bool? Persistent = null)
{
    public override string ToString() =>
        $"InputSpec(kind=<InputKind.{KindName(Kind)}: {(int)Kind}>, arg={Arg}, target={Quote(Target)}, persistent={(Persistent is bool p ? (p ? "True" : "False") : "None")})";

    internal static string Quote(string? s) => s is null ? "None" : $"'{s}'";

    internal static string KindName<T>(T kind) where T : Enum => string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}

public sealed record OutputSpec(OutputKind Kind, SignatureArgument Arg, string? Target)
{
    public override string ToString() => $"OutputSpec(kind=<OutputKind.{InputSpec.KindName(Kind)}: {(int)Kind}>, arg={Arg}, target={InputSpec.Quote(Target)})";
}

/// <summary>
/// The inputs and outputs of an exported graph and what each is (torch's ExportGraphSignature): lifted
/// parameters, buffers and constants first, then user inputs; mutation outputs first, then user outputs.
/// </summary>
public sealed class ExportGraphSignature(IReadOnlyList<InputSpec> inputSpecs, IReadOnlyList<OutputSpec> outputSpecs)
{
    public IReadOnlyList<InputSpec> InputSpecs { get; } = inputSpecs;

    public IReadOnlyList<OutputSpec> OutputSpecs { get; } = outputSpecs;

    public IReadOnlyList<string> Parameters => InputSpecs.Where(s => s.Kind == InputKind.Parameter).Select(s => s.Target!).ToList();

    public IReadOnlyList<string> Buffers => InputSpecs.Where(s => s.Kind == InputKind.Buffer).Select(s => s.Target!).ToList();

    public IReadOnlyList<string> UserInputs => InputSpecs.Where(s => s.Kind == InputKind.UserInput).Select(s => s.Arg.Name).ToList();

    public IReadOnlyList<string> UserOutputs => OutputSpecs.Where(s => s.Kind == OutputKind.UserOutput).Select(s => s.Arg.Name).ToList();

    /// <summary>Placeholder name → parameter name.</summary>
    public IReadOnlyDictionary<string, string> InputsToParameters => InputSpecs.Where(s => s.Kind == InputKind.Parameter).ToDictionary(s => s.Arg.Name, s => s.Target!);

    public IReadOnlyDictionary<string, string> InputsToBuffers => InputSpecs.Where(s => s.Kind == InputKind.Buffer).ToDictionary(s => s.Arg.Name, s => s.Target!);

    /// <summary>Output name → the buffer it overwrites.</summary>
    public IReadOnlyDictionary<string, string> BuffersToMutate => OutputSpecs.Where(s => s.Kind == OutputKind.BufferMutation).ToDictionary(s => s.Arg.Name, s => s.Target!);

    public IReadOnlyDictionary<string, string> UserInputsToMutate => OutputSpecs.Where(s => s.Kind == OutputKind.UserInputMutation).ToDictionary(s => s.Arg.Name, s => s.Target!);

    public override string ToString() =>
        $"ExportGraphSignature(input_specs=[{string.Join(", ", InputSpecs)}], output_specs=[{string.Join(", ", OutputSpecs)}])";
}
