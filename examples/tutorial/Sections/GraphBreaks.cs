using System.Runtime.CompilerServices;
using static Graphport.Torch;

namespace Graphport.Tutorial;

/// <summary>Data-dependent control flow: the branch depends on tensor values.</summary>
public sealed class Bad1 : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        if (x.Sum() > 0)
            return Sin(x);
        return Cos(x);
    }
}

/// <summary>Writing tensor data directly through .Data.</summary>
public sealed class Bad2 : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        x.Data[0, 0] = 3;
        return x;
    }
}

/// <summary>A value that depends on object identity (Python's id(x)).</summary>
public sealed class Bad3 : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        x = x + 1;
        return x + RuntimeHelpers.GetHashCode(x);
    }
}

/// <summary>Exceptions inside Forward.</summary>
public sealed class Bad4 : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        try
        {
            x = x + 1;
            throw new InvalidOperationException("bad");
        }
        catch (InvalidOperationException)
        {
            x = x + 2;
        }
        return x;
    }
}

public static class GraphBreaks
{
    public static void Run()
    {
        foreach (Module bad in new Module[] { new Bad1(), new Bad2(), new Bad3(), new Bad4() })
        {
            Console.WriteLine($"--- export({bad.GetType().Name}(), (torch.randn(3, 3),))");
            try
            {
                Export(bad, [Randn(3, 3)]);
            }
            catch (ExportException e)
            {
                TutorialSections.PrintError(e);
            }
            Console.WriteLine();
        }
    }
}
