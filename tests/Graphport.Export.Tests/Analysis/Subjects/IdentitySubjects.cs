using System.Runtime.CompilerServices;
using Graphport.Tests.Analysis.Fakes;

namespace Graphport.Tests.Analysis.Subjects;

// Modules whose values depend on which object a tensor is.

public sealed class HashesIdentity : FakeModule
{
    public static readonly string SourceFile = SourceMarkers.PathOf();

    public FakeTensor Forward(FakeTensor x)
    {
        var hash = RuntimeHelpers.GetHashCode(x); // BREAK:identity-hash
        return x * hash;
    }
}

public sealed class HashesTensor : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        var hash = x.GetHashCode(); // BREAK:tensor-hash
        return x * hash;
    }
}

public sealed class ComparesReferences : FakeModule
{
    public FakeTensor Forward(FakeTensor x, FakeTensor y) =>
        ReferenceEquals(x, y) ? x : x + y; // BREAK:reference-equals
}

public sealed class HashesString : FakeModule
{
    private readonly string _name = "block";

    public FakeTensor Forward(FakeTensor x) => x * _name.GetHashCode();
}
