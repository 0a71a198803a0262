using static Graphport.Torch;

namespace Graphport.Tutorial;

public sealed class CustomOpExample : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        x = Sin(x);
        x = Ops["my_custom_library::custom_op"].CallTensor(x);
        x = Cos(x);
        return x;
    }
}

public static class CustomOps
{
    public static void Run()
    {
        using var m = new Library("my_custom_library", LibraryKind.Def);
        m.Define("custom_op(Tensor input) -> Tensor");
        m.Impl("custom_op", (Tensor x) =>
        {
            Console.WriteLine("custom_op called!");
            return Relu(x);
        });
        // The "meta" (abstract) implementation: an empty tensor with the output's shape.
        m.ImplAbstract("custom_op", (Tensor x) => EmptyLike(x));

        var exportedCustomOpExample = Export(new CustomOpExample(), [Randn(3, 3)]);
        Console.WriteLine(exportedCustomOpExample.PrintReadable());
        Console.WriteLine(exportedCustomOpExample.Module().Call(Randn(3, 3)));
    }
}
