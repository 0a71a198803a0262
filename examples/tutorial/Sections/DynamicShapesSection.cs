using Microsoft.Extensions.Logging;
using static Graphport.Torch;
using F = Graphport.Functional;

namespace Graphport.Tutorial;

public sealed class MyModule2 : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear lin = new(100, 10);

    public override Tensor Forward(Tensor x, Tensor y) => F.Relu(lin.Call(x + y), inplace: true);
}

public sealed class DynamicShapesExample1 : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        x = x[.., 2..];
        return Relu(x);
    }
}

public sealed class DynamicShapesExample2 : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y) => x.Matmul(y);
}

public sealed class DerivedDimExample1 : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y) => x + y[1..];
}

public sealed class DerivedDimExample2 : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor z, Tensor y) => z[1..] + y[TensorIndex.Slice(1, null, 3)];
}

public sealed class DynamicShapesExample3 : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y)
    {
        if (x.Shape[0] <= 16)
            return x.Matmul(y[.., ..16]);
        return y;
    }
}

public static class DynamicShapesSection
{
    private static void Try(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is ExportException or ArgumentException)
        {
            TutorialSections.PrintError(e);
        }
    }

    public static void Run()
    {
        // Static by default: other shapes are rejected at run time.
        var mod2 = new MyModule2();
        var exportedMod2 = Export(mod2, [Randn(8, 100), Randn(8, 100)]);
        Try(() => exportedMod2.Module().Call(Randn(10, 100), Randn(10, 100)));
        Console.WriteLine();

        // Dims with bounds.
        var inp1 = Randn(10, 10, 2);
        var inp1Dim0 = new Dim("inp1_dim0");
        var inp1Dim1 = new Dim("inp1_dim1", min: 4, max: 18);
        var dynamicShapes1 = new DynamicShapes { ["x"] = new() { [0] = inp1Dim0, [1] = inp1Dim1 } };
        var exported1 = Export(new DynamicShapesExample1(), [inp1], dynamicShapes: dynamicShapes1);
        Console.WriteLine(exported1.Module().Call(Randn(5, 5, 2)));
        Try(() => exported1.Module().Call(Randn(8, 1, 2)));
        Try(() => exported1.Module().Call(Randn(8, 20, 2)));
        Try(() => exported1.Module().Call(Randn(8, 8, 3)));
        Console.WriteLine();

        // Example inputs must satisfy the Dims.
        var inp1Dim1Bad = new Dim("inp1_dim1_bad", min: 11, max: 18);
        Try(() => Export(new DynamicShapesExample1(), [inp1], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = inp1Dim0, [1] = inp1Dim1Bad } }));
        Console.WriteLine();

        // One Dim object in two places makes the sizes equal.
        var inp2 = Randn(4, 8);
        var inp3 = Randn(8, 2);
        var inp2Dim0 = new Dim("inp2_dim0");
        var innerDim = new Dim("inner_dim");
        var inp3Dim1 = new Dim("inp3_dim1");
        var dynamicShapes2 = new DynamicShapes
        {
            ["x"] = new() { [0] = inp2Dim0, [1] = innerDim },
            ["y"] = new() { [0] = innerDim, [1] = inp3Dim1 },
        };
        var exported2 = Export(new DynamicShapesExample2(), [inp2, inp3], dynamicShapes: dynamicShapes2);
        Console.WriteLine(exported2.Module().Call(Randn(2, 16), Randn(16, 4)));
        Try(() => exported2.Module().Call(Randn(4, 8), Randn(4, 2)));
        Console.WriteLine();

        // Derived dims: A * dim + B.
        var dimx = new Dim("dimx", min: 3, max: 6);
        var dimy = dimx + 1;
        var derived1 = Export(new DerivedDimExample1(), [Randn(5), Randn(6)],
            dynamicShapes: DynamicShapes.Positional(new() { [0] = dimx }, new() { [0] = dimy }));
        Console.WriteLine(derived1.Module().Call(Randn(4), Randn(5)));
        Try(() => derived1.Module().Call(Randn(4), Randn(6)));

        var dx = new Dim("dx", min: 3, max: 6);
        var dz = dx + 1;
        var dy = dx * 3 + 1;
        var derived2 = Export(new DerivedDimExample2(), [Randn(4), Randn(10)],
            dynamicShapes: DynamicShapes.Positional(new() { [0] = dz }, new() { [0] = dy }));
        Console.WriteLine(derived2.Module().Call(Randn(7), Randn(19)));
        Console.WriteLine();

        // Let export tell us which constraints the code needs.
        var inp4 = Randn(8, 16);
        var inp5 = Randn(16, 32);
        var dynamicShapes3 = new DynamicShapes
        {
            ["x"] = new() { [0] = new Dim("inp4_dim0"), [1] = new Dim("inp4_dim1") },
            ["y"] = new() { [0] = new Dim("inp5_dim0"), [1] = new Dim("inp5_dim1") },
        };
        Try(() => Export(new DynamicShapesExample3(), [inp4, inp5], dynamicShapes: dynamicShapes3));
        Console.WriteLine();

        // The suggested fixes, pasted back.
        var dynamicShapes3Fixed = SuggestedFixes();
        var exported3 = Export(new DynamicShapesExample3(), [inp4, inp5], dynamicShapes: dynamicShapes3Fixed);
        Console.WriteLine(exported3.Module().Call(Randn(4, 32), Randn(32, 64)));
        Console.WriteLine();

        // Why those constraints: the shape-reasoning log (GRAPHPORT_LOGS=dynamic does the same).
        GraphportLogging.SetLogs(dynamic: LogLevel.Information);
        Export(new DynamicShapesExample3(), [inp4, inp5], dynamicShapes: dynamicShapes3Fixed);
        GraphportLogging.SetLogs();
        Thread.Sleep(100);
        Console.WriteLine();

        Console.WriteLine(exported3.RangeConstraints);
    }

    private static DynamicShapes SuggestedFixes()
    {
        var inp4_dim1 = new Dim("shared_dim");
        // suggested fixes below
        var inp4_dim0 = new Dim("inp4_dim0", max: 16);
        var inp5_dim1 = new Dim("inp5_dim1", min: 17);
        var inp5_dim0 = inp4_dim1;
        // end of suggested fixes
        return new DynamicShapes
        {
            ["x"] = new() { [0] = inp4_dim0, [1] = inp4_dim1 },
            ["y"] = new() { [0] = inp5_dim0, [1] = inp5_dim1 },
        };
    }
}
