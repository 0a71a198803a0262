using static Graphport.Torch;
using F = Graphport.Functional;

namespace Graphport.Tutorial;

public sealed class MyModule : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear lin = new(100, 10);

    public override Tensor Forward(Tensor x, Tensor y) => F.Relu(lin.Call(x + y), inplace: true);
}

public static class BasicUsage
{
    public static void Run()
    {
        var mod = new MyModule();
        var exportedMod = Export(mod, [Randn(8, 100), Randn(8, 100)]);
        Console.WriteLine(exportedMod.GetType());
        Console.WriteLine(exportedMod.Module().Call(Randn(8, 100), Randn(8, 100)));
        Console.WriteLine();
        Console.WriteLine(exportedMod);
        Console.WriteLine(exportedMod.PrintReadable());
        Console.WriteLine(exportedMod.GraphSignature);
    }
}
