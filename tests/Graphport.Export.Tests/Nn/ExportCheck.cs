using Graphport.Tests.TensorApi;

namespace Graphport.Tests.Nn;

/// <summary>Exports a module and compares the exported program's CPU run with the module's own eager call.</summary>
internal static class ExportCheck
{
    /// <summary>The targets of the graph's op calls, e.g. "aten.addmm.default", in graph order.</summary>
    public static List<string> Targets(ExportedProgram ep) => ep.Graph.Nodes.Where(n => n.Op is not null).Select(n => n.Op!.Target).ToList();

    public static ShapeSpec DynamicBatch(string name = "batch") => new() { [0] = new Dim(name) };

    /// <summary>Runs the exported program and the module on the same fresh inputs and checks the outputs agree.</summary>
    public static void AgreesWithEager(Module<Tensor, Tensor> module, ExportedProgram ep, Tensor input, double rtol = 1e-5, double atol = 1e-6)
    {
        var expected = module.Call(input);
        var actual = ep.Module().Call(input);
        Reference.AssertClose(expected, actual, rtol, atol);
    }

    /// <summary>Exports on one random input, then checks agreement on other random inputs of the same shape.</summary>
    public static ExportedProgram ExportAndCompare(Module<Tensor, Tensor> module, long[] shape, DType dtype = DType.Float32, double rtol = 1e-5, double atol = 1e-6)
    {
        var ep = Torch.Export(module, [Reference.Random(100, shape, dtype)]);
        foreach (int seed in new[] { 101, 102 })
            AgreesWithEager(module, ep, Reference.Random(seed, shape, dtype), rtol, atol);
        return ep;
    }
}
