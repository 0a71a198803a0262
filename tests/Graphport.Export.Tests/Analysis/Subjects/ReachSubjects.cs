using Graphport.Tests.Analysis.Fakes;

namespace Graphport.Tests.Analysis.Subjects;

// Breaks that sit outside Forward's own body: in helpers, lambdas, submodules and generic code it reaches.

public sealed class BreakInHelper : FakeModule
{
    public static readonly string SourceFile = SourceMarkers.PathOf();

    public FakeTensor Forward(FakeTensor x) => Helper(x) * 2f;

    private static FakeTensor Helper(FakeTensor x)
    {
        if (x > 0) // BREAK:helper
            return x;
        return x * 3f;
    }
}

public sealed class BreakInLambda : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        Func<FakeTensor, FakeTensor> pick = t => t > 0 ? t : t * 2f; // BREAK:lambda
        return pick(x);
    }
}

public sealed class ParentWithChild : FakeModule
{
    private readonly ChildReadingData _child = new();

    public FakeTensor Forward(FakeTensor x) => Call(_child, x) * 2f;
}

public sealed class ChildReadingData : FakeModule
{
    public FakeTensor Forward(FakeTensor x) => x * x.Data[0]; // BREAK:submodule
}

public sealed class ParentWithTypedBlocks : FakeModule
{
    private readonly List<TypedBlock> _blocks = [new TypedBlock()];

    public FakeTensor Forward(FakeTensor x)
    {
        foreach (var block in _blocks)
            x = block.Call(x);
        return x;
    }
}

public sealed class TypedBlock : FakeModule<FakeTensor, FakeTensor>
{
    public override FakeTensor Forward(FakeTensor input) =>
        input > 0 ? input : input * 2f; // BREAK:typed-submodule
}

public sealed class BreakInGenericHelper : FakeModule
{
    public FakeTensor Forward(FakeParameter p) => Gate(p) * 2f;

    private static T Gate<T>(T t) where T : FakeTensor
    {
        if (t) // BREAK:generic-helper
            return t;
        return t;
    }
}

public sealed class ItemThroughGenericHelper : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        if (Scalar<float>(x) > 0f) // BREAK:generic-item
            return x;
        return x * 2f;
    }

    private static T Scalar<T>(FakeTensor t) => t.Item<T>();
}

public sealed class CleanModule : FakeModule
{
    private readonly FakeTensor _bias = new FakeParameter();

    public FakeTensor Forward(FakeTensor x, FakeTensor y)
    {
        var z = (x * 2f) + y + _bias;
        Func<FakeTensor, FakeTensor> halve = t => t * 0.5f;
        for (var i = 0; i < 3; i++)
            z = halve(z);
        return Scale(z, 3);
    }

    private static FakeTensor Scale(FakeTensor t, int times)
    {
        var result = t;
        while (times-- > 0)
            result = result + t;
        return result;
    }
}

public sealed class RecursiveHelper : FakeModule
{
    public FakeTensor Forward(FakeTensor x) => Repeat(x, 4);

    private static FakeTensor Repeat(FakeTensor x, int depth) =>
        depth == 0 ? x : Repeat(x * 2f, depth - 1) * x.Data.Length; // BREAK:recursive
}
