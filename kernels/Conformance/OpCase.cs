namespace Graphport.Kernels.Conformance;

/// <summary>
/// One backend conformance case: a small function of tensors, inputs made from a seed, and the tolerance a
/// backend must meet against the CPU interpreter. The xunit op tests and the GPU bench run the same list.
/// </summary>
public sealed record OpCase(string Name, Func<Tensor[], Tensor> Function, Func<Tensor[]> Inputs, double Tolerance = 1e-4)
{
    /// <summary>Exports the function (non-strict: it is a lambda) with these inputs as user inputs.</summary>
    public ExportedProgram Export(Tensor[] inputs) => Torch.Export(FunctionModule.Of(Function, inputs.Length), inputs.Cast<object?>().ToArray(), strict: false);

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
