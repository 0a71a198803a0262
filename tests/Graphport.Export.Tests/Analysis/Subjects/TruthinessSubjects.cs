using Graphport.Tests.Analysis.Fakes;

namespace Graphport.Tests.Analysis.Subjects;

// Modules that use a tensor where C# needs a bool. The BREAK markers name the lines the finder must report.

public sealed class TensorInIf : FakeModule
{
    public static readonly string SourceFile = SourceMarkers.PathOf();

    public FakeTensor Forward(FakeTensor x)
    {
        if (x.Sum() > 0) // BREAK:tensor-if
            return x * 2f;
        return x;
    }
}

public sealed class TensorInAndAlso : FakeModule
{
    public FakeTensor Forward(FakeTensor x, FakeTensor y)
    {
        if ((x > 0) && (y > 0)) // BREAK:tensor-and
            return x;
        return y;
    }
}

public sealed class TensorInTernary : FakeModule
{
    public FakeTensor Forward(FakeTensor x) =>
        x > 0 ? x : x * 2f; // BREAK:tensor-ternary
}

public sealed class TensorInWhile : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        while (x.Sum() > 1) // BREAK:tensor-while
            x = x * 0.5f;
        return x;
    }
}
