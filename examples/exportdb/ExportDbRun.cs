namespace Graphport.ExportDB;

/// <summary>
/// What exporting one case gave: the program, or the exception export threw. It keeps the module and inputs it
/// exported, so the same module (with the same weights) can be run eagerly and compared with the program.
/// </summary>
public sealed class ExportDbRun
{
    internal ExportDbRun(ExportDbCase @case, Module module, object?[] args, Dictionary<string, object?>? kwargs, ExportedProgram? program, Exception? error)
    {
        Case = @case;
        Module = module;
        Args = args;
        Kwargs = kwargs;
        Program = program;
        Error = error;
    }

    public ExportDbCase Case { get; }

    /// <summary>The module instance that was exported; export reads its state but never changes it.</summary>
    public Module Module { get; }

    public IReadOnlyList<object?> Args { get; }

    public IReadOnlyDictionary<string, object?>? Kwargs { get; }

    public ExportedProgram? Program { get; }

    public Exception? Error { get; }

    public bool Succeeded => Program is not null;

    /// <summary>
    /// The example inputs as one positional argument list (keywords placed, defaults filled in), copied so that
    /// a call that writes into its inputs leaves the originals alone.
    /// </summary>
    public object?[] ExampleInputs() => ArgumentCopier.Copy(ForwardArguments.Bind(Module, Args.ToArray(), Kwargs));

    /// <summary>The case's extra inputs, each a fresh positional argument list.</summary>
    public IReadOnlyList<object?[]> ExtraInputs() => Case.ExtraInputs?.Invoke() ?? [];

    /// <summary>The case's rejected inputs, each a fresh positional argument list.</summary>
    public IReadOnlyList<object?[]> RejectedInputs() => Case.RejectedInputs?.Invoke() ?? [];

    /// <summary>Runs the module itself on a positional argument list.</summary>
    public object? RunEager(object?[] inputs) => ForwardArguments.Invoke(Module, inputs);

    /// <summary>Runs the exported program (or a program derived from it) on a positional argument list.</summary>
    public object? RunExported(object?[] inputs, ExportedProgram? program = null) =>
        (program ?? Program ?? throw new InvalidOperationException($"{Case.Name} did not export: {Error?.Message}")).Module().Invoke(inputs);
}
