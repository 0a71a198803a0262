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
    }
}
