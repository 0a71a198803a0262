using Graphport.Kernels.Backends;
using static Graphport.Torch;

namespace Graphport.Tutorial;

public sealed class M : Module<Tensor, Tensor>
{
    private readonly Linear linear = new(3, 3);

    public override Tensor Forward(Tensor x) => linear.Call(x);
}

public static class RunningTheProgram
{
    public static void Run()
    {
        var inp = Randn(2, 3);
        var m = new M();
        var ep = Export(m, [inp]);

        // Run it eagerly (the graph on the CPU interpreter) ...
        var res = ep.Module().Call(inp);
        Console.WriteLine(res);

        // ... and compare with the original module.
        var eager = m.Call(inp);
        Console.WriteLine(eager);
        Console.WriteLine($"max |exported - eager| = {(res - eager).Abs().Max().Item()}");
        Console.WriteLine();

        // The seed's torch.compile, on the CPU: freeze the module for inference. Its weights become constants, so what
        // depends on them alone is done once (here: the weight packed for the GEMM, the bias added inside it).
        var frozen = ep.Module().Freeze();
        var resFrozen = frozen.Call(inp);
        Console.WriteLine(resFrozen);
        Console.WriteLine($"max |frozen - eager| = {(resFrozen - eager).Abs().Max().Item()}");
        Console.WriteLine();

        // The seed's device="cuda": the CUDA backend of kernels/ (fused kernels compiled by NVRTC, cuBLASLt, CUDA
        // graphs), what a GPU silo's executors run. Without a usable GPU, TryCreate says why and the CPU backend runs
        // the same program, as a GPU silo without a device does.
        IExecutionBackend backend = CudaBackend.TryCreate(out var cuda, out var status) ? cuda! : new CpuBackend();
        Console.WriteLine(cuda is null ? $"{status}; running on the {backend.Name} backend instead." : $"CUDA backend: {status}");
        try
        {
            using var compiled = backend.Compile(ep);
            var resBackend = (Tensor)compiled.Run([inp])[0]!;
            Console.WriteLine(resBackend);
            Console.WriteLine($"max |{backend.Name} - eager| = {(resBackend - eager).Abs().Max().Item()}");
        }
        finally
        {
            cuda?.Dispose();
        }
    }
}
