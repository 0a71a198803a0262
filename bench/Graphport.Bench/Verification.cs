using static Graphport.Torch;

namespace Graphport.Bench;

/// <summary>
/// Checks an exported program against its eager module on a random input whose batch differs from the
/// example's, so the benchmark never times a program that computes something else.
/// </summary>
public static class Verification
{
    /// <summary>Relative tolerance on max |exported - eager| / max |eager|; both run the same CPU kernels.</summary>
    public const double Tolerance = 1e-4;

    public static (double MaxAbsDiff, double Scale) Compare(Module module, ExportedProgram program, BenchCase benchCase)
    {
        if (module is not Module<Tensor, Tensor> single)
            throw new ArgumentException($"{benchCase.Name} does not take one tensor; the verification calls Forward(x).");
        var input = Randn(benchCase.InputShape(BenchCase.VerifyBatch));
        var eager = single.Call(input);
        var exported = program.Module().Call(input);
        if (!eager.Shape.Equals(exported.Shape))
            throw new InvalidOperationException($"{benchCase.Name}: exported output has shape {exported.Shape}, eager {eager.Shape}.");
        double diff = (exported - eager).Abs().Max().Item();
        double scale = eager.Abs().Max().Item();
        if (!(diff <= Tolerance * Math.Max(scale, 1e-30)))
            throw new InvalidOperationException($"{benchCase.Name}: exported output differs from eager by {diff:G3} (max |eager| = {scale:G3}).");
        return (diff, scale);
    }
}
