using System.Runtime.CompilerServices;
using static Graphport.Torch;
using F = Graphport.Functional;

namespace Graphport.Tests.Exporting;

// The seed tutorial's modules, in C#. Lines marked "// LINE:name" are looked up by tests that check file:line.

public sealed class MyModule : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear lin = new(100, 10);

    public override Tensor Forward(Tensor x, Tensor y) => F.Relu(lin.Call(x + y), inplace: true); // LINE:mymodule
}

public sealed class Bad1 : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        if (x.Sum() > 0) // LINE:bad1
            return Sin(x);
        return Cos(x);
    }
}

public sealed class Bad2 : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        x.Data[0, 0] = 3; // LINE:bad2
        return x;
    }
}

public sealed class Bad3 : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        x = x + 1;
        return x + RuntimeHelpers.GetHashCode(x); // LINE:bad3
    }
}

public sealed class Bad4 : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        try
        {
            x = x + 1; // LINE:bad4
            throw new InvalidOperationException("bad");
        }
        catch (InvalidOperationException)
        {
            x = x + 2;
        }
        return x;
    }
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
        if (x.Shape[0] <= 16) // LINE:example3
            return x.Matmul(y[.., ..16]);
        return y;
    }
}

public sealed class LinearOnly : Module<Tensor, Tensor>
{
    private readonly Linear linear = new(3, 4);

    public override Tensor Forward(Tensor x) => linear.Call(x);
}
