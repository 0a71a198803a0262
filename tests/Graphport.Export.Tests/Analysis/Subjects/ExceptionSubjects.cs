using Graphport.Tests.Analysis.Fakes;

namespace Graphport.Tests.Analysis.Subjects;

// Modules with exception handling, and the try/finally shapes C# generates that must stay allowed.

public sealed class Throws : FakeModule
{
    public static readonly string SourceFile = SourceMarkers.PathOf();

    public FakeTensor Forward(FakeTensor? x)
    {
        if (x is null)
            throw new ArgumentNullException(nameof(x));
        return x;
    }
}

public sealed class ThrowsIntoCatch : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        try
        {
            x = x * 2f;
            throw new InvalidOperationException("bad"); // BREAK:caughtthrow
        }
        catch (InvalidOperationException)
        {
            return x;
        }
    }
}

public sealed class CatchesException : FakeModule
{
    public FakeTensor Forward(FakeTensor x)
    {
        try
        {
            return x * 2f; // BREAK:try
        }
        catch (InvalidOperationException)
        {
            return x;
        }
    }
}

public sealed class UsesUsingForeachAndLock : FakeModule
{
    private readonly List<FakeTensor> _extras = [new FakeTensor()];
    private readonly object _gate = new();

    public FakeTensor Forward(FakeTensor x)
    {
        using (var scope = new Scope())
            x = x * 2f;
        foreach (var extra in _extras)
            x = x + extra;
        lock (_gate)
            x = x * 0.5f;
        return x;
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
