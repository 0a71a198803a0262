using static Graphport.Torch;

namespace Graphport.Tutorial;

/// <summary>Bad1 rewritten with Torch.Cond: both branches are captured, the choice stays data-dependent.</summary>
public sealed class Bad1Fixed : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        static Tensor TrueFn(Tensor[] ops) => Sin(ops[0]);
        static Tensor FalseFn(Tensor[] ops) => Cos(ops[0]);
        return Cond(x.Sum() > 0, TrueFn, FalseFn, [x]);
    }
}

/// <summary>A branch that reads a tensor captured from Forward instead of taking it as an operand.</summary>
public sealed class CondCapturesTensor : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y) => Cond(x.Sum() > 0, ops => ops[0] + y, ops => ops[0] - y, [x]);
}

public static class ControlFlowOps
{
    /// <summary>The seed's map example, a plain function as there: a cond inside the body of a map over the leading dimension.</summary>
    public static Tensor MapExample(Tensor xs)
    {
        static Tensor MapFn(Tensor x, Tensor[] rest)
        {
            static Tensor TrueFn(Tensor[] ops) => ops[0] + ops[1];
            static Tensor FalseFn(Tensor[] ops) => ops[0] - ops[1];
            return Cond(x.Sum() > 0, TrueFn, FalseFn, [x, rest[0]]);
        }
        return Map(MapFn, xs, Torch.Tensor(new float[] { 2 }));
    }

    public static void Run()
    {
        var exportedBad1Fixed = Export(new Bad1Fixed(), [Randn(3, 3)]);
        Console.WriteLine(exportedBad1Fixed.Module().Call(Ones(3, 3)));
        Console.WriteLine(exportedBad1Fixed.Module().Call(-Ones(3, 3)));
        Console.WriteLine();
        Console.WriteLine(exportedBad1Fixed);

        // Restrictions are enforced with torch's messages; for example, branches may not capture outer tensors.
        try
        {
            Export(new CondCapturesTensor(), [Randn(3), Randn(3)]);
        }
        catch (ExportException e)
        {
            TutorialSections.PrintError(e);
        }
        Console.WriteLine();

        // Export takes a function as well as a module: its parameters are the program's inputs.
        var exportedMapExample = Export(MapExample, [Randn(4, 3)]);
        var inp = Cat([Ones(2, 3), -Ones(2, 3)]);
        Console.WriteLine(exportedMapExample.Module().Call(inp));
    }
}
