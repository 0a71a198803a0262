using Graphport.Tests.Analysis.Fakes;

namespace Graphport.Tests.Analysis.Subjects;

// Modules that touch tensor storage directly.

public sealed class ReadsData : FakeModule
{
    public static readonly string SourceFile = SourceMarkers.PathOf();

    public FakeTensor Forward(FakeTensor x)
    {
        var first = x.Data[0]; // BREAK:data-read
        return x * first;
    }
}

public sealed class WritesData : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        x.Data[0] = 1f; // BREAK:data-write
        return x;
    }
}

public sealed class CopiesToArray : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        var values = x.ToArray(); // BREAK:to-array
        return x * values.Length;
    }
}
