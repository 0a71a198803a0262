namespace Graphport.Kernels.Conformance;

/// <summary>
/// One backend conformance case: a small function of tensors, inputs made from a seed, and the tolerance a
/// backend must meet against the CPU interpreter. The xunit op tests and the GPU bench run the same list.
/// </summary>
public sealed record OpCase(string Name, Func<Tensor[], Tensor> Function, Func<Tensor[]> Inputs, double Tolerance = 1e-4)
{
    /// <summary>
    /// For a case whose program writes its module's buffers (a key/value cache, a running statistic): the module,
    /// made fresh for each export. Null for a plain function of its inputs.
    /// </summary>
    public Func<Module>? StatefulModule { get; private init; }

    /// <summary>How many calls a backend makes, each on new inputs (<see cref="Inputs"/> again) and each compared:
    /// more than one only for a stateful case, where a call reads what the previous one wrote.</summary>
    public int Calls { get; private init; } = 1;

    /// <summary>A case whose program writes the module's buffers, run <paramref name="calls"/> times.</summary>
    public static OpCase Stateful(string name, Func<Module> module, Func<Tensor[]> inputs, int calls, double tolerance = 1e-4) =>
        new(name, _ => throw new InvalidOperationException($"op case {name} runs its module, not a function"), inputs, tolerance)
        {
            StatefulModule = module,
            Calls = calls >= 2 ? calls : throw new ArgumentOutOfRangeException(nameof(calls), calls, "a stateful case needs two calls or more to show a written buffer is read back"),
        };

    /// <summary>Exports the function or module (non-strict: a lambda cannot be traced from source) with these inputs
    /// as user inputs.</summary>
    public ExportedProgram Export(Tensor[] inputs) =>
        Torch.Export(StatefulModule?.Invoke() ?? FunctionModule.Of(Function, inputs.Length), inputs.Cast<object?>().ToArray(), strict: false);

    /// <summary>The inputs of every call: the first call's, then <see cref="Calls"/> - 1 more drawn after them.</summary>
    public IReadOnlyList<Tensor[]> InputsOfEveryCall(Tensor[] first) =>
        [first, .. Enumerable.Range(1, Calls - 1).Select(_ => Inputs())];

    public override string ToString() => Name;
}

/// <summary>Modules whose Forward is a given function of one, two or three tensors (export traces Forward).</summary>
internal static class FunctionModule
{
    public static Module Of(Func<Tensor[], Tensor> function, int arity) => arity switch
    {
        1 => new One(function),
        2 => new Two(function),
        3 => new Three(function),
        _ => throw new ArgumentOutOfRangeException(nameof(arity), arity, "Op cases take one to three tensors."),
    };

    private sealed class One(Func<Tensor[], Tensor> f) : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x) => f([x]);
    }

    private sealed class Two(Func<Tensor[], Tensor> f) : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x, Tensor y) => f([x, y]);
    }

    private sealed class Three(Func<Tensor[], Tensor> f) : Module<Tensor, Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x, Tensor y, Tensor z) => f([x, y, z]);
    }
}
